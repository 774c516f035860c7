package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/netsim"
)

// contractAnswer is one answer an operation can give, provoked on an emulator of its own; testAPI
// checks the exchange against the description of the server the emulator plays. A new operation
// is a row with a success answer (TestContractCoversEveryAnswer fails until it has one) and a
// row per error it documents.
type contractAnswer struct {
	name        string
	cfg         Config
	repo        *Repository             // nil: scanned("app")
	bare        bool                    // without the fixture's alerts, analyses and CodeQL database
	setup       func(a *testAPI) string // its result replaces "{id}" in path and body, e.g. a run's id
	method      string
	path        string // relative to the base URL; may hold "{id}"
	body        string // may hold "{id}"
	headers     map[string]string
	want        int
	everyServer bool // also given by each GHES release the contract has, checked against its description
}

// contractAnswers lists every answer of every operation the emulator serves.
func contractAnswers(t *testing.T) []contractAnswer {
	const (
		runsPath      = "repos/octo-org/app/actions/runs/"
		orgAlertsPath = "orgs/octo-org/code-scanning/alerts"
		databasesPath = "repos/octo-org/app/code-scanning/codeql/databases"
		repoConfig    = "repos/octo-org/app/code-security-configuration"
		dismiss       = `{"state":"dismissed","dismissed_reason":"won't fix"}`
	)
	off := &Repository{Owner: "octo-org", Name: "app"}
	archived := &Repository{Owner: "octo-org", Name: "app", AdvancedSecurity: true, Archived: true}
	delegated := &Repository{Owner: "octo-org", Name: "app", AdvancedSecurity: true, DelegatedDismissal: true}
	slow := Config{RunQueued: time.Hour, RunInProgress: time.Hour}
	sarif := encodeSarif(t, testLog("ext", finding{"ext/style", "a.go", 1}))
	upload := func(log any) func(a *testAPI) string {
		return func(a *testAPI) string { return a.upload(log, "") }
	}
	uploadBody := func(fields string) string {
		return fmt.Sprintf(`{"commit_sha":%q,"ref":"refs/heads/main","sarif":%q%s}`, uploadCommit, sarif, fields)
	}
	configuration := func(a *testAPI) string {
		return strconv.FormatInt(createConfig(a, `{"name":"org policy","description":""}`), 10)
	}
	attached := func(a *testAPI) string {
		id := configuration(a)
		n, _ := strconv.ParseInt(id, 10, 64)
		attach(a, n, `{"scope":"all"}`)
		return id
	}
	repositoryID := func(a *testAPI) string { return strconv.FormatInt(a.emu.RepositoryID("octo-org", "app"), 10) }

	answers := []contractAnswer{
		// Repositories and workflow runs.
		{name: "repository", method: "GET", path: "repos/octo-org/app", want: 200, everyServer: true},
		{name: "repository unknown", method: "GET", path: "repos/octo-org/nope", want: 404, everyServer: true},
		{name: "run queued", cfg: slow, method: "GET", path: runsPath + "{id}", want: 200, setup: startRun, everyServer: true},
		{name: "run completed", method: "GET", path: runsPath + "{id}", want: 200, setup: startRun, everyServer: true},
		{name: "run unknown", method: "GET", path: runsPath + "999", want: 404, everyServer: true},

		// Default setup.
		{name: "default setup not configured", method: "GET", path: setupPath, want: 200, everyServer: true},
		{name: "default setup configured", method: "GET", path: setupPath, want: 200, everyServer: true,
			setup: func(a *testAPI) string {
				a.emu.SetDefaultSetup("octo-org", "app", DefaultSetup{Languages: []string{"go"}})
				return ""
			}},
		{name: "default setup Advanced Security off", repo: off, method: "GET", path: setupPath, want: 403, everyServer: true},
		{name: "default setup unknown repository", method: "GET", path: "repos/octo-org/nope/code-scanning/default-setup",
			want: 404, everyServer: true},
		{name: "enable", method: "PATCH", path: setupPath, body: `{"state":"configured"}`, want: 202, everyServer: true},
		{name: "no change", method: "PATCH", path: setupPath, body: `{"state":"not-configured"}`, want: 200, everyServer: true},
		{name: "no change as 202", cfg: Config{NoChangeStatus: 202}, method: "PATCH", path: setupPath,
			body: `{"state":"not-configured"}`, want: 202, everyServer: true},
		{name: "archived", repo: archived, method: "PATCH", path: setupPath, body: `{"state":"configured"}`, want: 403, everyServer: true},
		{name: "conflict", cfg: slow, method: "PATCH", path: setupPath, body: `{"query_suite":"extended"}`, want: 409, everyServer: true,
			setup: func(a *testAPI) string {
				a.emu.StartOutOfBandRun("octo-org", "app", DefaultSetup{Languages: []string{"go"}})
				return ""
			}},
		{name: "invalid", method: "PATCH", path: setupPath, body: `{"query_suite":"bogus"}`, want: 422, everyServer: true},
		{name: "malformed", method: "PATCH", path: setupPath, body: `{`, want: 400, everyServer: true},

		// Alerts.
		{name: "alerts", method: "GET", path: alertsPath, want: 200},
		{name: "alerts by page", method: "GET", path: alertsPath + "?per_page=2&page=2&sort=updated", want: 200},
		{name: "alerts by cursor", method: "GET", path: alertsPath + "?per_page=2&after=&direction=asc", want: 200},
		{name: "alerts of a pull request", method: "GET", path: alertsPath + "?pr=7&severity=medium&assignees=none", want: 200},
		{name: "alerts by tool", method: "GET", path: alertsPath + "?tool_guid=" + codeQLGUID + "&state=closed", want: 200},
		{name: "alerts, bad filter", method: "GET", path: alertsPath + "?state=bogus", want: 422},
		{name: "alerts, never analysed", bare: true, method: "GET", path: alertsPath, want: 404},
		{name: "alerts, Advanced Security off", repo: off, method: "GET", path: alertsPath, want: 403},
		{name: "organization alerts", method: "GET", path: orgAlertsPath + "?per_page=2", want: 200},
		{name: "organization alerts by cursor", method: "GET", path: orgAlertsPath + "?before=&severity=critical", want: 200},
		{name: "organization alerts, bad filter", method: "GET", path: orgAlertsPath + "?per_page=0", want: 422},
		{name: "organization unknown", method: "GET", path: "orgs/nobody/code-scanning/alerts", want: 404},
		{name: "alert", method: "GET", path: alertPath(3), want: 200},
		{name: "alert fixed", method: "GET", path: alertPath(2), want: 200},
		{name: "alert unknown", method: "GET", path: alertPath(99), want: 404},
		{name: "alert, Advanced Security off", repo: off, method: "GET", path: alertPath(1), want: 403},
		{name: "dismiss", method: "PATCH", path: alertPath(1),
			body: `{"state":"dismissed","dismissed_reason":"false positive","dismissed_comment":"ok"}`, want: 200},
		{name: "reopen", method: "PATCH", path: alertPath(3), body: `{"state":"open"}`, want: 200},
		{name: "assign", method: "PATCH", path: alertPath(2), body: `{"assignees":["hubot"]}`, want: 200},
		{name: "request dismissal", repo: delegated, method: "PATCH", path: alertPath(1),
			body: `{"state":"dismissed","dismissed_reason":"won't fix","dismissed_comment":"ok","create_request":true}`, want: 200},
		{name: "dismiss fixed", method: "PATCH", path: alertPath(2), body: dismiss, want: 400},
		{name: "dismiss without a reason", method: "PATCH", path: alertPath(1), body: `{"state":"dismissed"}`, want: 422},
		{name: "dismiss again", method: "PATCH", path: alertPath(3), body: dismiss, want: 409},
		{name: "alert PATCH malformed", method: "PATCH", path: alertPath(1), body: `{`, want: 400},
		{name: "alert PATCH archived", repo: archived, method: "PATCH", path: alertPath(1), body: `{"state":"open"}`, want: 403},
		{name: "alert PATCH unknown", method: "PATCH", path: alertPath(99), body: `{"state":"open"}`, want: 404},
		{name: "instances", method: "GET", path: alertPath(4) + "/instances?per_page=1", want: 200},
		{name: "instances of a pull request", method: "GET", path: alertPath(4) + "/instances?pr=7", want: 200},
		{name: "instances, bad filter", method: "GET", path: alertPath(4) + "/instances?pr=0", want: 422},
		{name: "instances unknown", method: "GET", path: alertPath(99) + "/instances", want: 404},
		{name: "instances, Advanced Security off", repo: off, method: "GET", path: alertPath(4) + "/instances", want: 403},

		// Analyses and CodeQL databases.
		{name: "analyses", method: "GET", path: analysesPath + "?per_page=2&tool_name=CodeQL", want: 200},
		{name: "analyses of a pull request", method: "GET", path: analysesPath + "?pr=7&direction=asc", want: 200},
		{name: "analyses, bad filter", method: "GET", path: analysesPath + "?sort=updated", want: 422},
		{name: "analyses, Advanced Security off", repo: off, method: "GET", path: analysesPath, want: 403},
		{name: "analysis", method: "GET", path: analysesPath + "/2", want: 200},
		{name: "analysis as SARIF", method: "GET", path: analysesPath + "/2",
			headers: map[string]string{"Accept": "application/sarif+json"}, want: 200},
		{name: "analysis unknown", method: "GET", path: analysesPath + "/99", want: 404},
		{name: "analysis, Advanced Security off", repo: off, method: "GET", path: analysesPath + "/2", want: 403},
		{name: "databases", method: "GET", path: databasesPath, want: 200},
		{name: "database", method: "GET", path: databasesPath + "/go", want: 200},
		{name: "database missing", method: "GET", path: databasesPath + "/ruby", want: 404},
		{name: "databases, Advanced Security off", repo: off, method: "GET", path: databasesPath, want: 403},
		{name: "database, Advanced Security off", repo: off, method: "GET", path: databasesPath + "/go", want: 403},

		// SARIF uploads.
		{name: "upload", method: "POST", path: sarifsPath, want: 202, body: fmt.Sprintf(
			`{"commit_sha":%q,"ref":"refs/pull/3/merge","sarif":%q,"checkout_uri":"file:///src",`+
				`"started_at":"2025-03-01T12:00:00Z","tool_name":"ExtScan","validate":true}`, uploadCommit, sarif)},
		{name: "upload not base64", method: "POST", path: sarifsPath, want: 400,
			body: fmt.Sprintf(`{"commit_sha":%q,"ref":"refs/heads/main","sarif":"%%%%"}`, uploadCommit)},
		{name: "upload too large", cfg: Config{SarifMaxBytes: 10}, method: "POST", path: sarifsPath, want: 413, body: uploadBody("")},
		{name: "upload without a commit", method: "POST", path: sarifsPath, want: 422,
			body: fmt.Sprintf(`{"ref":"refs/heads/main","sarif":%q}`, sarif)},
		{name: "upload archived", repo: archived, method: "POST", path: sarifsPath, want: 403, body: uploadBody("")},
		{name: "upload pending", cfg: Config{SarifProcessing: time.Hour}, method: "GET", path: sarifsPath + "/{id}",
			setup: upload(testLog("")), want: 200},
		{name: "upload complete", method: "GET", path: sarifsPath + "/{id}", setup: upload(testLog("")), want: 200},
		{name: "upload failed", method: "GET", path: sarifsPath + "/{id}", setup: upload(map[string]any{"version": "2.1.0"}), want: 200},
		{name: "upload unknown", method: "GET", path: sarifsPath + "/nope", want: 404},
		{name: "upload status, Advanced Security off", repo: off, method: "GET", path: sarifsPath + "/nope", want: 403},

		// Code security configurations.
		{name: "configurations", method: "GET", path: configsPath, setup: configuration, want: 200},
		{name: "configurations, global only", method: "GET", path: configsPath + "?target_type=global", want: 200},
		{name: "configurations of an unknown organization", method: "GET", path: "orgs/nobody/code-security/configurations", want: 404},
		{name: "create configuration", method: "POST", path: configsPath, body: `{"name":"org policy","description":"d"}`, want: 201},
		{name: "create configuration, unknown key", method: "POST", path: configsPath, body: `{"name":"x","description":"","bogus":1}`, want: 422},
		{name: "configuration", method: "GET", path: configsPath + "/{id}", setup: configuration, want: 200},
		{name: "configuration unknown", method: "GET", path: configsPath + "/999", want: 404},
		{name: "update configuration", method: "PATCH", path: configsPath + "/{id}", setup: configuration,
			body: `{"enforcement":"unenforced"}`, want: 200},
		{name: "update configuration, no change", method: "PATCH", path: configsPath + "/{id}", setup: configuration,
			body: `{"name":"org policy"}`, want: 204},
		{name: "delete configuration", method: "DELETE", path: configsPath + "/{id}", setup: configuration, want: 204},
		{name: "attach", method: "POST", path: configsPath + "/{id}/attach", setup: configuration, body: `{"scope":"all"}`, want: 202},
		{name: "attach, bad scope", method: "POST", path: configsPath + "/{id}/attach", setup: configuration, body: `{"scope":"some"}`, want: 422},
		{name: "detach", method: "DELETE", path: configsPath + "/detach", body: `{"selected_repository_ids":[{id}]}`, want: 204,
			setup: func(a *testAPI) string { attached(a); return repositoryID(a) }},
		{name: "set default", method: "PUT", path: configsPath + "/{id}/defaults", setup: configuration,
			body: `{"default_for_new_repos":"all"}`, want: 200},
		{name: "defaults", method: "GET", path: configsPath + "/defaults", want: 200},
		{name: "configuration's repositories", method: "GET", path: configsPath + "/{id}/repositories", setup: attached, want: 200},
		{name: "configuration's repositories, bad status", method: "GET", path: configsPath + "/{id}/repositories?status=stuck",
			setup: configuration, want: 422},
		{name: "repository's configuration", method: "GET", path: repoConfig, setup: attached, want: 200},
		{name: "repository without a configuration", method: "GET", path: repoConfig, want: 204},
		{name: "repository's configuration, repository unknown", method: "GET", path: "repos/octo-org/nope/code-security-configuration", want: 404},
	}

	// The network's JSON faults answer an operation as GitHub does, in its error schema (a 502
	// is an HTML page: TestBadGatewayIsNotJSON in netsim).
	for _, f := range []struct {
		fault  netsim.Fault
		status int
	}{
		{netsim.FaultServerError, 500}, {netsim.FaultUnavailable, 503}, {netsim.FaultGatewayTimeout, 504},
		{netsim.FaultSecondary403, 403}, {netsim.FaultSecondary403NR, 403}, {netsim.FaultSecondary429, 429},
		{netsim.FaultSecondary429NR, 429}, {netsim.FaultPrimary, 403},
	} {
		answers = append(answers, contractAnswer{name: "fault " + string(f.fault), method: "GET", path: setupPath, want: f.status,
			cfg: Config{Faults: netsim.Faults{Script: []netsim.Fault{f.fault}}}, everyServer: true})
	}
	return answers
}

// TestContractCoversEveryAnswer gives each answer of contractAnswers, checked against the
// description, and then that every operation in github.com's description has been answered
// with success at least once: an operation the emulator serves without a row fails here.
// (GHES releases' differences are ghes_test.go's.)
func TestContractCoversEveryAnswer(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	succeeded := map[string]bool{} // "GET /repos/{owner}/{repo}" of github.com's description
	t.Run("answers", func(t *testing.T) {
		for _, tt := range contractAnswers(t) {
			versions := []string{""}
			if tt.everyServer {
				versions = append(versions, "3.17.2", "3.19.1")
			}
			for _, version := range versions {
				t.Run(tt.name+"/"+descriptionFor(version), func(t *testing.T) {
					t.Parallel()
					repo := scanned("app")
					if tt.repo != nil {
						repo = *tt.repo
					}
					cfg := tt.cfg
					cfg.EnterpriseVersion = version
					a := newTestAPI(t, cfg, repo)
					if !tt.bare {
						addAnalysisFixture(t, a.emu)
						a.emu.AddCodeQLDatabase("octo-org", "app", CodeQLDatabase{Language: "go"})
					}
					path, body := tt.path, tt.body
					if tt.setup != nil {
						id := tt.setup(a)
						path, body = strings.ReplaceAll(path, "{id}", id), strings.ReplaceAll(body, "{id}", id)
					}
					headers := map[string]string{"Authorization": "Bearer " + a.token}
					for k, v := range tt.headers {
						headers[k] = v
					}
					got := a.doWith(tt.method, a.base+path, body, headers)
					if got.status != tt.want {
						t.Errorf("status = %d, want %d; body %s", got.status, tt.want, got.body)
					}
					if version == "" && got.status < 300 {
						op := operationOf(t, tt.method, path)
						mu.Lock()
						succeeded[op] = true
						mu.Unlock()
					}
				})
			}
		}
		t.Run("unauthenticated", func(t *testing.T) {
			t.Parallel()
			a := newTestAPI(t, Config{}, scanned("app"))
			if got := a.doWith("GET", a.base+setupPath, "", nil); got.status != http.StatusUnauthorized {
				t.Errorf("status = %d, want 401", got.status)
			}
		})
		t.Run("missing prefix", func(t *testing.T) {
			t.Parallel()
			a := newTestAPI(t, Config{}, scanned("app"))
			if got := a.doURL("GET", a.root()+"repos/octo-org/app", ""); got.status != http.StatusNotFound {
				t.Errorf("status = %d, want 404", got.status)
			}
		})
	})
	c, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range c.Operations() {
		if !succeeded[op] {
			t.Errorf("no row of contractAnswers answers %s with success; add one", op)
		}
	}
	if !slices.Contains(c.Operations(), "GET /repos/{owner}/{repo}") {
		t.Fatalf("the description's operations %v lack the repository", c.Operations())
	}
}
