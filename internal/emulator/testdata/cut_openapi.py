#!/usr/bin/env python3
"""Cut GitHub's OpenAPI description down to the operations the emulator serves.

Usage: cut_openapi.py SOURCE.json OUT.json
SOURCE is /work/shared/openapi/api.github.com.json (itself cut from @octokit/openapi, dereferenced).
When the emulator learns a new operation, add it to SERVED and run this again.
"""
import copy, json, sys

SERVED = {
    "/repos/{owner}/{repo}": ["get"],
    "/repos/{owner}/{repo}/actions/runs/{run_id}": ["get"],
    "/repos/{owner}/{repo}/code-scanning/default-setup": ["get", "patch"],
    "/orgs/{org}/code-scanning/alerts": ["get"],
    "/repos/{owner}/{repo}/code-scanning/alerts": ["get"],
    "/repos/{owner}/{repo}/code-scanning/alerts/{alert_number}": ["get", "patch"],
    "/repos/{owner}/{repo}/code-scanning/alerts/{alert_number}/instances": ["get"],
    "/repos/{owner}/{repo}/code-scanning/analyses": ["get"],
    "/repos/{owner}/{repo}/code-scanning/analyses/{analysis_id}": ["get"],
    "/repos/{owner}/{repo}/code-scanning/codeql/databases": ["get"],
    "/repos/{owner}/{repo}/code-scanning/codeql/databases/{language}": ["get"],
    "/repos/{owner}/{repo}/code-scanning/sarifs": ["post"],
    "/repos/{owner}/{repo}/code-scanning/sarifs/{sarif_id}": ["get"],
}

# Where GitHub's current REST documentation (/work/shared/github-docs/003_643d3c2ba11fa1c3.txt)
# is newer than the description, the contract takes the documentation's word. Each amendment
# copies query parameters, exactly as the description defines them, from an operation that
# already has them: (operation, method) -> [(source operation, method, [parameter names])].
ADDED_QUERY_PARAMETERS = {
    ("/repos/{owner}/{repo}/code-scanning/alerts", "get"): [
        # "List code scanning alerts for a repository" documents severity, assignees, before and
        # after, as the organization list has them, and pr, as the instances list has it.
        ("/orgs/{org}/code-scanning/alerts", "get", ["severity", "assignees", "before", "after"]),
        ("/repos/{owner}/{repo}/code-scanning/alerts/{alert_number}/instances", "get", ["pr"]),
    ],
}

METHODS = ("get", "put", "post", "patch", "delete", "head", "options")

src, out = sys.argv[1], sys.argv[2]
with open(src) as f:
    spec = json.load(f)
paths = {}
for path, methods in SERVED.items():
    item = spec["paths"][path]
    # Keep path-level keys (parameters, summary) and only the served methods.
    paths[path] = {k: copy.deepcopy(v) for k, v in item.items() if k in methods or k not in METHODS}
for (path, method), sources in ADDED_QUERY_PARAMETERS.items():
    params = paths[path][method]["parameters"]
    have = {(p["name"], p["in"]) for p in params}
    for src_path, src_method, names in sources:
        for p in spec["paths"][src_path][src_method]["parameters"]:
            if p["in"] == "query" and p["name"] in names and (p["name"], "query") not in have:
                params.append(copy.deepcopy(p))
                have.add((p["name"], "query"))
    missing = [n for _, _, names in sources for n in names if (n, "query") not in have]
    if missing:
        sys.exit(f"{path}: parameters {missing} not found in their source operations")
cut = {"openapi": spec["openapi"], "info": spec["info"], "servers": spec.get("servers", []), "paths": paths}
with open(out, "w") as f:
    json.dump(cut, f, indent=1)
    f.write("\n")
print(f"{out}: {sum(len(m) for m in SERVED.values())} operations")
