package emulator

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestContractRejectsWrongAnswers proves the validator would catch the emulator breaking the
// contract: each operation's real answer passes, and broken one way must fail. A new operation
// adds its real answer and a broken one here.
func TestContractRejectsWrongAnswers(t *testing.T) {
	t.Parallel()
	const (
		orgPath       = "orgs/octo-org/code-scanning/alerts"
		databasesPath = "repos/octo-org/app/code-scanning/codeql/databases"
		databasePath  = databasesPath + "/go"
		dismiss       = `{"state":"dismissed","dismissed_reason":"won't fix"}`
	)
	a := newTestAPI(t, Config{}, scanned("app"))
	addAnalysisFixture(t, a.emu)
	a.emu.AddCodeQLDatabase("octo-org", "app", CodeQLDatabase{Language: "go"})
	runID := startRun(a)
	uploadID := a.upload(testLog(""), "")
	configID := createConfig(a, `{"name":"org policy","description":""}`)
	runPath, uploadPath, configPath := "repos/octo-org/app/actions/runs/"+runID, sarifsPath+"/"+uploadID, fmt.Sprintf("%s/%d", configsPath, configID)
	var mu sync.Mutex
	served := map[string][]byte{}
	answer := func(path string) []byte { // the emulator's answer to GET path, read once
		mu.Lock()
		defer mu.Unlock()
		if _, ok := served[path]; !ok {
			got := a.do("GET", path, "")
			if got.status != http.StatusOK {
				t.Fatalf("GET %s: %d %s", path, got.status, got.body)
			}
			served[path] = got.body
		}
		return served[path]
	}
	upload := fmt.Sprintf(`{"commit_sha":%q,"ref":"refs/heads/main","sarif":"H4sI"}`, uploadCommit)

	tests := []struct {
		name    string
		method  string
		path    string
		reqBody string
		status  int
		body    []byte
		valid   bool
	}{
		// Repositories, default setup and runs.
		{"real repository", "GET", "repos/octo-org/app", "", 200, answer("repos/octo-org/app"), true},
		{"real setup", "GET", setupPath, "", 200, answer(setupPath), true},
		{"real run", "GET", runPath, "", 200, answer(runPath), true},
		{"repository without full_name", "GET", "repos/octo-org/app", "", 200,
			withField(t, answer("repos/octo-org/app"), "full_name", nil, true), false},
		{"run without id", "GET", runPath, "", 200, withField(t, answer(runPath), "id", nil, true), false},
		{"repository with a relative html_url", "GET", "repos/octo-org/app", "", 200,
			withField(t, answer("repos/octo-org/app"), "html_url", "octo-org/app", false), false},
		{"setup with an unknown state", "GET", setupPath, "", 200, withField(t, answer(setupPath), "state", "enabled", false), false},
		{"setup with languages as a string", "GET", setupPath, "", 200, withField(t, answer(setupPath), "languages", "go", false), false},
		{"no-change answer that is not empty", "PATCH", setupPath, `{"state":"configured"}`, 200, []byte(`{"run_id":1}`), false},
		{"run_id as a string", "PATCH", setupPath, `{"state":"configured"}`, 202, []byte(`{"run_id":"42","run_url":"x"}`), false},
		{"undocumented status", "GET", runPath, "", 201, []byte(`{}`), false},

		// Alerts.
		{"real alert", "GET", alertPath(3), "", 200, answer(alertPath(3)), true},
		{"real list", "GET", alertsPath, "", 200, answer(alertsPath), true},
		{"real organization list", "GET", orgPath, "", 200, answer(orgPath), true},
		{"real instances", "GET", alertPath(4) + "/instances", "", 200, answer(alertPath(4) + "/instances"), true},
		{"real alert PATCH answer", "PATCH", alertPath(3), dismiss, 200, answer(alertPath(3)), true},
		{"alert without number", "GET", alertPath(3), "", 200, withField(t, answer(alertPath(3)), "number", nil, true), false},
		{"alert with state closed", "GET", alertPath(3), "", 200, withField(t, answer(alertPath(3)), "state", "closed", false), false},
		{"alert with an unknown dismissed_reason", "GET", alertPath(3), "", 200,
			withField(t, answer(alertPath(3)), "dismissed_reason", "wontfix", false), false},
		{"alert with too long a comment", "GET", alertPath(3), "", 200,
			withField(t, answer(alertPath(3)), "dismissed_comment", strings.Repeat("x", 281), false), false},
		{"alert with a relative url", "GET", alertPath(3), "", 200,
			withField(t, answer(alertPath(3)), "url", "repos/octo-org/app/code-scanning/alerts/3", false), false},
		{"alert with dismissed_by a login", "GET", alertPath(3), "", 200,
			withField(t, answer(alertPath(3)), "dismissed_by", "octocat", false), false},
		{"alert PATCH answer without most_recent_instance", "PATCH", alertPath(3), dismiss, 200,
			withField(t, answer(alertPath(3)), "most_recent_instance", nil, true), false},
		{"list item with a mitigated alert", "GET", alertsPath, "", 200,
			withFirstItemField(t, answer(alertsPath), "dismissed_reason", "mitigated", false), false},
		{"list item with rule severity high", "GET", alertsPath, "", 200,
			withFirstItemField(t, answer(alertsPath), "rule", map[string]any{"severity": "high"}, false), false},
		{"list item without tool", "GET", alertsPath, "", 200, withFirstItemField(t, answer(alertsPath), "tool", nil, true), false},
		{"organization item without repository", "GET", orgPath, "", 200,
			withFirstItemField(t, answer(orgPath), "repository", nil, true), false},
		{"instance dismissed", "GET", alertPath(4) + "/instances", "", 200,
			withFirstItemField(t, answer(alertPath(4)+"/instances"), "state", "dismissed", false), false},
		{"instance with a line as a string", "GET", alertPath(4) + "/instances", "", 200,
			withFirstItemField(t, answer(alertPath(4)+"/instances"), "location", map[string]any{"start_line": "10"}, false), false},

		// Analyses, CodeQL databases and SARIF uploads.
		{"real analyses", "GET", analysesPath, "", 200, answer(analysesPath), true},
		{"real analysis", "GET", analysesPath + "/2", "", 200, answer(analysesPath + "/2"), true},
		{"real databases", "GET", databasesPath, "", 200, answer(databasesPath), true},
		{"real database", "GET", databasePath, "", 200, answer(databasePath), true},
		{"real upload status", "GET", uploadPath, "", 200, answer(uploadPath), true},
		{"real upload answer", "POST", sarifsPath, upload, 202,
			[]byte(`{"id":"` + uploadID + `","url":"` + contractBase + uploadPath + `"}`), true},
		{"analysis without id", "GET", analysesPath + "/2", "", 200, withField(t, answer(analysesPath+"/2"), "id", nil, true), false},
		{"analysis with a short commit_sha", "GET", analysesPath + "/2", "", 200,
			withField(t, answer(analysesPath+"/2"), "commit_sha", "4b64722", false), false},
		{"analysis deletable as a string", "GET", analysesPath + "/2", "", 200,
			withField(t, answer(analysesPath+"/2"), "deletable", "true", false), false},
		{"listed analysis without tool", "GET", analysesPath, "", 200, withFirstItemField(t, answer(analysesPath), "tool", nil, true), false},
		{"database without uploader", "GET", databasePath, "", 200, withField(t, answer(databasePath), "uploader", nil, true), false},
		{"listed database with a size as a string", "GET", databasesPath, "", 200,
			withFirstItemField(t, answer(databasesPath), "size", "4 MB", false), false},
		{"upload status done", "GET", uploadPath, "", 200, withField(t, answer(uploadPath), "processing_status", "done", false), false},
		{"upload status with a relative analyses_url", "GET", uploadPath, "", 200,
			withField(t, answer(uploadPath), "analyses_url", "analyses?sarif_id=x", false), false},
		{"upload answer with a numeric id", "POST", sarifsPath, upload, 202, []byte(`{"id":42}`), false},

		// Code security configurations.
		{"real configuration", "GET", configPath, "", 200, answer(configPath), true},
		{"real configurations", "GET", configsPath, "", 200, answer(configsPath), true},
		{"configuration with an id as a string", "GET", configPath, "", 200, withField(t, answer(configPath), "id", "1", false), false},
		{"configuration with an unknown enforcement", "GET", configPath, "", 200,
			withField(t, answer(configPath), "enforcement", "strict", false), false},
		{"listed configuration with target_type repository", "GET", configsPath, "", 200,
			withFirstItemField(t, answer(configsPath), "target_type", "repository", false), false},
	}
	c, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := newContractRequest(t, tt.method, tt.path, tt.reqBody)
			header := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
			v := c.Check(req, []byte(tt.reqBody), tt.status, header, tt.body)
			if v.Request != nil {
				t.Fatalf("control request rejected: %v", v.Request)
			}
			if (v.Response == nil) != tt.valid {
				t.Errorf("validator said %v, want valid=%v", v.Response, tt.valid)
			}
		})
	}
}

// TestContractRejectsWrongRequests proves the validator would catch a request outside the
// contract, which testAPI reports when the emulator accepts one.
func TestContractRejectsWrongRequests(t *testing.T) {
	t.Parallel()
	c, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	upload := fmt.Sprintf(`{"commit_sha":%q,"ref":"refs/heads/main","sarif":"H4sI"}`, uploadCommit)
	for _, tt := range []struct {
		method, path, body string
		valid              bool
	}{
		{"PATCH", setupPath, `{"state":"configured","languages":["go"],"runner_label":null}`, true},
		{"PATCH", setupPath, `{"foo":1}`, false},
		{"PATCH", setupPath, `{"languages":["cobol"]}`, false},
		{"PATCH", setupPath, `{"threat_model":"anything"}`, false},
		{"PATCH", alertPath(1), `{"state":"dismissed","dismissed_reason":"won't fix"}`, true},
		{"PATCH", alertPath(1), `{"assignees":["hubot"],"create_request":true}`, true},
		{"PATCH", alertPath(1), `{}`, false},
		{"PATCH", alertPath(1), `{"state":"fixed"}`, false},
		{"PATCH", alertPath(1), `{"state":"open","dismissed_comment":"` + strings.Repeat("x", 281) + `"}`, false},
		{"PATCH", alertPath(1), `{"assignees":"hubot"}`, false},
		// The documented filters the description lacks are part of the contract (see testdata).
		{"GET", alertsPath + "?severity=critical&assignees=*&pr=7&after=x", "", true},
		{"GET", alertsPath + "?severity=none", "", false},
		{"GET", alertsPath + "?pr=seven", "", false},
		{"GET", alertsPath + "?state=closed&direction=sideways", "", false},
		{"GET", "orgs/octo-org/code-scanning/alerts?sort=number", "", false},
		{"POST", sarifsPath, upload, true},
		{"POST", sarifsPath, `{"ref":"refs/heads/main","sarif":"H4sI"}`, false},
		{"POST", sarifsPath, fmt.Sprintf(`{"commit_sha":%q,"ref":"main","sarif":"H4sI"}`, uploadCommit), false},
		{"POST", sarifsPath, fmt.Sprintf(`{"commit_sha":%q,"ref":"refs/heads/main","sarif":"H4sI","extra":1}`, uploadCommit), false},
		{"POST", sarifsPath, strings.Replace(upload, uploadCommit, "xyz", 1), false},
		{"POST", configsPath, `{"name":"p","description":"d","enforcement":"unenforced"}`, true},
		{"POST", configsPath, `{"description":"d"}`, false},
		{"POST", configsPath, `{"name":"p","description":"d","enforcement":"strict"}`, false},
	} {
		req := newContractRequest(t, tt.method, tt.path, tt.body)
		v := c.Check(req, []byte(tt.body), 200, http.Header{"Content-Type": {"application/json"}}, []byte(`{}`))
		if (v.Request == nil) != tt.valid {
			t.Errorf("%s %s %s: validator said %v, want valid=%v", tt.method, tt.path, tt.body, v.Request, tt.valid)
		}
	}
}
