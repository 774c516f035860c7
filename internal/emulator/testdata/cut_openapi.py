#!/usr/bin/env python3
"""Cut GitHub's OpenAPI description down to the operations the emulator serves.

Usage: cut_openapi.py SOURCE.json OUT.json
SOURCE is /work/shared/openapi/api.github.com.json (itself cut from @octokit/openapi, dereferenced).
When the emulator learns a new operation, add it to SERVED and run this again.
"""
import json, sys

SERVED = {
    "/repos/{owner}/{repo}": ["get"],
    "/repos/{owner}/{repo}/actions/runs/{run_id}": ["get"],
    "/repos/{owner}/{repo}/code-scanning/default-setup": ["get", "patch"],
}

src, out = sys.argv[1], sys.argv[2]
with open(src) as f:
    spec = json.load(f)
paths = {}
for path, methods in SERVED.items():
    item = spec["paths"][path]
    # Keep path-level keys (parameters, summary) and only the served methods.
    paths[path] = {k: v for k, v in item.items()
                   if k in methods or k not in ("get", "put", "post", "patch", "delete", "head", "options")}
cut = {"openapi": spec["openapi"], "info": spec["info"], "servers": spec.get("servers", []), "paths": paths}
with open(out, "w") as f:
    json.dump(cut, f, indent=1)
    f.write("\n")
print(f"{out}: {sum(len(m) for m in SERVED.values())} operations")
