package emulator

import (
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
)

func TestGHES317HasNoThreatModel(t *testing.T) {
	t.Parallel()
	emu, base := newTestServer(t, Config{EnterpriseVersion: "3.17.2", PathPrefix: "/api/v3"})
	emu.AddRepository(scanned("app"))
	a := &testAPI{t: t, emu: emu, base: base, token: testToken}
	const path = "repos/octo-org/app/code-scanning/default-setup"

	got := a.do("GET", path, "")
	// GitHub's description of GHES 3.17 lists exactly these properties.
	var keys []string
	for k := range got.object(t) {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"languages", "query_suite", "runner_label", "runner_type", "schedule", "state", "updated_at"}; !slices.Equal(keys, want) {
		t.Fatalf("GHES 3.17 default setup has %q; want %q", keys, want)
	}
	wantHeaders(t, got.header, map[string]string{"X-GitHub-Enterprise-Version": "3.17.2"})

	refused := a.do("PATCH", path, `{"state":"configured","threat_model":"remote"}`)
	refused.expectError(t, http.StatusUnprocessableEntity, "Invalid request.\n\n\"threat_model\" is not a permitted key.")
	if ds, _ := emu.DefaultSetup("octo-org", "app"); ds.State != stateNotConfigured {
		t.Fatal("the refused PATCH changed the configuration")
	}
	if ok := a.do("PATCH", path, `{"state":"configured"}`); ok.status != http.StatusAccepted {
		t.Fatalf("PATCH without threat_model: %d %s", ok.status, ok.body)
	}
	if missing := a.do("GET", "repos/octo-org/nope", ""); missing.header.Get("X-GitHub-Enterprise-Version") != "3.17.2" {
		t.Fatal("an error answer lacks X-GitHub-Enterprise-Version")
	}
}

func TestLaterGHESAndGitHubComHaveThreatModels(t *testing.T) {
	t.Parallel()
	for _, version := range []string{"", "3.19.0"} {
		a := newTestAPI(t, Config{EnterpriseVersion: version}, scanned("app"))
		got := a.do("GET", "repos/octo-org/app/code-scanning/default-setup", "")
		if _, ok := got.object(t)["threat_model"]; !ok {
			t.Fatalf("version %q: no threat_model", version)
		}
		if (got.header.Get("X-GitHub-Enterprise-Version") != "") != (version != "") {
			t.Fatalf("version %q: X-GitHub-Enterprise-Version %q", version, got.header.Get("X-GitHub-Enterprise-Version"))
		}
	}
}

// TestEnterpriseReleasesServeWhatTheirDescriptionsHave sends every served operation, and each
// field a release may lack, to github.com, GHES 3.17 and GHES 3.19. testAPI.do checks each
// exchange against the description of the server played (ghes-3.17.json, ...), so an answer a
// release's description does not have (a CodeQL database list from GHES) fails there too.
func TestEnterpriseReleasesServeWhatTheirDescriptionsHave(t *testing.T) {
	t.Parallel()
	const (
		databases = "repos/octo-org/app/code-scanning/codeql/databases"
		analyses  = "repos/octo-org/app/code-scanning/analyses"
	)
	sarif := func(t *testing.T, extra string) string {
		return `{"commit_sha":"` + uploadCommit + `","ref":"refs/heads/main","sarif":"` +
			encodeSarif(t, testLog("ghes")) + `"` + extra + `}`
	}
	type want struct{ github, ghes317, ghes319 int }
	tests := []struct {
		name    string
		method  string
		path    string
		body    func(t *testing.T) string
		before  func(a *testAPI) string // returns a path suffix
		version string                  // X-GitHub-Api-Version, if set
		want    want
	}{
		{name: "repository", method: "GET", path: "repos/octo-org/app", want: want{200, 200, 200}},
		{name: "default setup", method: "GET", path: setupPath, want: want{200, 200, 200}},
		{name: "enable default setup", method: "PATCH", path: setupPath, want: want{202, 202, 202},
			body: func(*testing.T) string { return `{"state":"configured","query_suite":"extended"}` }},
		{name: "threat_model", method: "PATCH", path: setupPath, want: want{202, 422, 202},
			body: func(*testing.T) string { return `{"state":"configured","threat_model":"remote_and_local"}` }},
		{name: "run", method: "GET", path: "repos/octo-org/app/actions/runs/", before: startRun, want: want{200, 200, 200}},
		{name: "repository alerts", method: "GET", path: alertsPath + "?state=open&severity=high&assignees=octocat", want: want{200, 200, 200}},
		{name: "organization alerts", method: "GET", path: "orgs/octo-org/code-scanning/alerts?state=open", want: want{200, 200, 200}},
		{name: "alert", method: "GET", path: alertPath(1), want: want{200, 200, 200}},
		{name: "alert instances", method: "GET", path: alertPath(1) + "/instances", want: want{200, 200, 200}},
		{name: "dismiss", method: "PATCH", path: alertPath(1), want: want{200, 200, 200},
			body: func(*testing.T) string { return `{"state":"dismissed","dismissed_reason":"won't fix"}` }},
		{name: "analyses", method: "GET", path: analyses, want: want{200, 200, 200}},
		{name: "analysis", method: "GET", path: analyses + "/", want: want{200, 200, 200},
			before: func(a *testAPI) string {
				var list []map[string]any
				if err := json.Unmarshal(a.do("GET", analyses, "").body, &list); err != nil || len(list) == 0 {
					a.t.Fatalf("no analyses: %v", err)
				}
				return jsonNumber(list[0]["id"])
			}},
		{name: "CodeQL databases", method: "GET", path: databases, want: want{200, 404, 404}},
		{name: "CodeQL database", method: "GET", path: databases + "/go", want: want{200, 404, 404}},
		{name: "SARIF upload", method: "POST", path: sarifsPath, want: want{202, 202, 202},
			body: func(t *testing.T) string { return sarif(t, "") }},
		{name: "SARIF upload with validate", method: "POST", path: sarifsPath, want: want{202, 422, 422},
			body: func(t *testing.T) string { return sarif(t, `,"validate":true`) }},
		{name: "SARIF upload status", method: "GET", path: sarifsPath + "/", want: want{200, 200, 200},
			before: func(a *testAPI) string { return a.upload(testLog("status"), "") }},
		{name: "API version 2022-11-28", method: "GET", path: "repos/octo-org/app", version: "2022-11-28", want: want{200, 200, 200}},
		{name: "API version 2026-03-10", method: "GET", path: "repos/octo-org/app", version: "2026-03-10", want: want{200, 400, 400}},
		{name: "API version unknown", method: "GET", path: "repos/octo-org/app", version: "2099-01-01", want: want{400, 400, 400}},
	}
	for _, tt := range tests {
		for _, server := range []struct {
			version string
			want    int
		}{{"", tt.want.github}, {"3.17.2", tt.want.ghes317}, {"3.19.1", tt.want.ghes319}} {
			t.Run(tt.name+"/"+cmp.Or(server.version, "github.com"), func(t *testing.T) {
				t.Parallel()
				a := newTestAPI(t, Config{EnterpriseVersion: server.version, PathPrefix: "/api/v3"}, scanned("app"))
				addAlertFixture(t, a.emu)
				a.emu.SeedAnalyses("octo-org", "app", 3)
				a.emu.AddCodeQLDatabase("octo-org", "app", CodeQLDatabase{Language: "go"})
				path := tt.path
				if tt.before != nil {
					path += tt.before(a)
				}
				body := ""
				if tt.body != nil {
					body = tt.body(t)
				}
				headers := map[string]string{"Authorization": "Bearer " + a.token}
				if tt.version != "" {
					headers["X-GitHub-Api-Version"] = tt.version
				}
				got := a.doWith(tt.method, a.base+path, body, headers)
				if got.status != server.want {
					t.Fatalf("status = %d, want %d; body %s", got.status, server.want, got.body)
				}
				if server.version != "" && got.header.Get("X-GitHub-Enterprise-Version") != server.version {
					t.Errorf("X-GitHub-Enterprise-Version = %q", got.header.Get("X-GitHub-Enterprise-Version"))
				}
			})
		}
	}
}

// GHES refuses the fields and versions it lacks in GitHub's words, so that a client can tell the
// user what the server is missing.
func TestEnterpriseRefusalsSayWhatIsMissing(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{EnterpriseVersion: "3.19.0", PathPrefix: "/api/v3"}, scanned("app"))
	a.emu.AddCodeQLDatabase("octo-org", "app", CodeQLDatabase{Language: "go"})
	body := `{"commit_sha":"` + uploadCommit + `","ref":"refs/heads/main","sarif":"` + encodeSarif(t, testLog("x")) + `","validate":true}`
	a.do("POST", sarifsPath, body).expectError(t, http.StatusUnprocessableEntity, "Invalid request.\n\n\"validate\" is not a permitted key.")
	a.do("GET", "repos/octo-org/app/code-scanning/codeql/databases/go", "").expectError(t, http.StatusNotFound, msgNotFound)
	got := a.doWith("GET", a.base+"repos/octo-org/app", "", map[string]string{
		"Authorization": "Bearer " + a.token, "X-GitHub-Api-Version": "2026-03-10"})
	got.expectError(t, http.StatusBadRequest, `The version you specified in the "X-GitHub-API-Version" request header, "2026-03-10", `+
		`is not a supported version. The following versions are currently supported: "2022-11-28" (most recent).`)
}

// GHES 3.17's alert PATCH has no create_request and its body's schema allows unknown keys, so
// the server ignores the field: the alert is dismissed outright, not put up for review, and a
// repository that delegates dismissal refuses the dismissal. 3.19 makes the request.
func TestGHES317IgnoresCreateRequest(t *testing.T) {
	t.Parallel()
	const body = `{"state":"dismissed","dismissed_reason":"false positive","dismissed_comment":"sanitised","create_request":true}`
	plain := newTestAPI(t, Config{EnterpriseVersion: "3.17.2", PathPrefix: "/api/v3"}, scanned("app"))
	addAlertFixture(t, plain.emu)
	if got := plain.patchAlert(1, body); got["state"] != "dismissed" {
		t.Errorf("GHES 3.17 with create_request: state %v, want dismissed outright", got["state"])
	}

	delegated := Repository{Owner: "octo-org", Name: "app", AdvancedSecurity: true, DelegatedDismissal: true}
	for version, want := range map[string]int{"3.17.2": http.StatusBadRequest, "3.19.0": http.StatusOK} {
		a := newTestAPI(t, Config{EnterpriseVersion: version, PathPrefix: "/api/v3"}, delegated)
		addAlertFixture(t, a.emu)
		got := a.do("PATCH", alertPath(1), body)
		al, _ := a.emu.Alert("octo-org", "app", 1)
		if got.status != want || (al.DismissalRequest != nil) != (want == http.StatusOK) {
			t.Errorf("GHES %s, delegated dismissal: status %d, request %+v; want %d", version, got.status, al.DismissalRequest, want)
		}
	}
}

func TestReleaseTableFollowsTheDescriptions(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		version                string
		threatModels, requests bool
		apiVersions            int
	}{
		{"", true, true, 2},
		{"3.17.2", false, false, 1},
		{"3.18.0", true, false, 1}, // @octokit/openapi 23.0.2's ghes-3.18.deref.json
		{"3.19.0", true, true, 1},
	} {
		e := New(Config{EnterpriseVersion: tt.version})
		if e.hasThreatModels() != tt.threatModels || e.hasDismissalRequests() != tt.requests || len(e.supportedAPIVersions()) != tt.apiVersions {
			t.Errorf("%q: threat models %v, dismissal requests %v, API versions %v", tt.version,
				e.hasThreatModels(), e.hasDismissalRequests(), e.supportedAPIVersions())
		}
	}
}
