#!/usr/bin/env python3
"""Cut GitHub's OpenAPI description down to the operations the emulator serves.

Usage: cut_openapi.py SOURCE.json OUT.json
SOURCE is one of the dereferenced descriptions in the npm package @octokit/openapi
(generated/api.github.com.deref.json, generated/ghes-3.17.deref.json, ...); see README.md.
When the emulator learns a new operation, add it to SERVED and run this again for each file.
An operation the source does not have (GitHub Enterprise Server has no CodeQL database
endpoints) is left out, and said so: the emulator answers it 404 there, as the server does.
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
    "/orgs/{org}/code-security/configurations": ["get", "post"],
    "/orgs/{org}/code-security/configurations/defaults": ["get"],
    "/orgs/{org}/code-security/configurations/detach": ["delete"],
    "/orgs/{org}/code-security/configurations/{configuration_id}": ["get", "patch", "delete"],
    "/orgs/{org}/code-security/configurations/{configuration_id}/attach": ["post"],
    "/orgs/{org}/code-security/configurations/{configuration_id}/defaults": ["put"],
    "/orgs/{org}/code-security/configurations/{configuration_id}/repositories": ["get"],
    "/repos/{owner}/{repo}/code-security-configuration": ["get"],
}

# Where GitHub's current REST documentation (https://docs.github.com/rest/code-scanning/code-scanning)
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
paths, absent = {}, []
for path, methods in SERVED.items():
    item = spec["paths"].get(path, {})
    absent += [f"{m.upper()} {path}" for m in methods if m not in item]
    if not any(m in item for m in methods):
        continue
    # Keep path-level keys (parameters, summary) and only the served methods.
    paths[path] = {k: copy.deepcopy(v) for k, v in item.items() if k in methods or k not in METHODS}
for (path, method), sources in ADDED_QUERY_PARAMETERS.items():
    if method not in paths.get(path, {}):
        continue
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
served = sum(1 for item in paths.values() for m in item if m in METHODS)
print(f"{out}: {served} operations" + (f"; not in the source: {', '.join(absent)}" if absent else ""))
