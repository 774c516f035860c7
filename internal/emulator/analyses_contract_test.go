package emulator

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestContractCoversEveryAnalysisAnswer provokes each answer the analysis, CodeQL database and
// SARIF upload operations can give; testAPI.do validates every one against the description.
func TestContractCoversEveryAnalysisAnswer(t *testing.T) {
	t.Parallel()
	const databasesPath = "repos/octo-org/app/code-scanning/codeql/databases"
	off := Repository{Owner: "octo-org", Name: "app"}
	archived := Repository{Owner: "octo-org", Name: "app", AdvancedSecurity: true, Archived: true}
	upload := func(log any) func(a *testAPI) string {
		return func(a *testAPI) string { return a.upload("refs/heads/main", log, "") }
	}
	sarif := func(t *testing.T) string {
		return encodeSarif(t, testLog("ext", finding{"ext/style", "a.go", 1}))
	}
	tests := []struct {
		name    string
		cfg     Config
		repo    Repository
		before  func(a *testAPI) string // returns a path suffix, e.g. an upload id
		method  string
		path    string
		body    func(t *testing.T) string
		headers map[string]string
		want    int
	}{
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
		{name: "upload", method: "POST", path: sarifsPath, want: 202, body: func(t *testing.T) string {
			return fmt.Sprintf(`{"commit_sha":%q,"ref":"refs/pull/3/merge","sarif":%q,"checkout_uri":"file:///src",`+
				`"started_at":"2025-03-01T12:00:00Z","tool_name":"ExtScan","validate":true}`, uploadCommit, sarif(t))
		}},
		{name: "upload not base64", method: "POST", path: sarifsPath, want: 400, body: func(*testing.T) string {
			return fmt.Sprintf(`{"commit_sha":%q,"ref":"refs/heads/main","sarif":"%%%%"}`, uploadCommit)
		}},
		{name: "upload too large", cfg: Config{SarifMaxBytes: 10}, method: "POST", path: sarifsPath, want: 413,
			body: func(t *testing.T) string {
				return fmt.Sprintf(`{"commit_sha":%q,"ref":"refs/heads/main","sarif":%q}`, uploadCommit, sarif(t))
			}},
		{name: "upload without a commit", method: "POST", path: sarifsPath, want: 422, body: func(t *testing.T) string {
			return fmt.Sprintf(`{"ref":"refs/heads/main","sarif":%q}`, sarif(t))
		}},
		{name: "upload archived", repo: archived, method: "POST", path: sarifsPath, want: 403, body: func(t *testing.T) string {
			return fmt.Sprintf(`{"commit_sha":%q,"ref":"refs/heads/main","sarif":%q}`, uploadCommit, sarif(t))
		}},
		{name: "upload pending", cfg: Config{SarifProcessing: time.Hour}, method: "GET", path: sarifsPath + "/",
			before: upload(testLog("")), want: 200},
		{name: "upload complete", method: "GET", path: sarifsPath + "/", before: upload(testLog("")), want: 200},
		{name: "upload failed", method: "GET", path: sarifsPath + "/", before: upload(map[string]any{"version": "2.1.0"}),
			want: 200},
		{name: "upload unknown", method: "GET", path: sarifsPath + "/nope", want: 404},
		{name: "upload status, Advanced Security off", repo: off, method: "GET", path: sarifsPath + "/nope", want: 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			repo := tt.repo
			if repo.Name == "" {
				repo = scanned("app")
			}
			a := newTestAPI(t, tt.cfg, repo)
			addAnalysisFixture(t, a.emu)
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
			for k, v := range tt.headers {
				headers[k] = v
			}
			if got := a.doWith(tt.method, a.base+path, body, headers); got.status != tt.want {
				t.Errorf("status = %d, want %d; body %s", got.status, tt.want, got.body)
			}
		})
	}
}

// TestContractRejectsWrongAnalysisAnswers proves the validator would catch these operations
// breaking the contract: the real answers pass, and each is then broken one way and must fail.
func TestContractRejectsWrongAnalysisAnswers(t *testing.T) {
	t.Parallel()
	const databasePath = "repos/octo-org/app/code-scanning/codeql/databases/go"
	a := newTestAPI(t, Config{}, scanned("app"))
	addAnalysisFixture(t, a.emu)
	a.emu.AddCodeQLDatabase("octo-org", "app", CodeQLDatabase{Language: "go"})
	id := a.upload("refs/heads/main", testLog(""), "")
	served := map[string][]byte{}
	for name, path := range map[string]string{
		"analyses":  analysesPath,
		"analysis":  analysesPath + "/2",
		"databases": "repos/octo-org/app/code-scanning/codeql/databases",
		"database":  databasePath,
		"status":    sarifsPath + "/" + id,
	} {
		served[name] = a.do("GET", path, "").body
	}
	c, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	valid := fmt.Sprintf(`{"commit_sha":%q,"ref":"refs/heads/main","sarif":"H4sI"}`, uploadCommit)
	tests := []struct {
		name    string
		method  string
		path    string
		reqBody string
		status  int
		body    []byte
		valid   bool
	}{
		{"real analyses", "GET", analysesPath, "", 200, served["analyses"], true},
		{"real analysis", "GET", analysesPath + "/2", "", 200, served["analysis"], true},
		{"real databases", "GET", "repos/octo-org/app/code-scanning/codeql/databases", "", 200, served["databases"], true},
		{"real database", "GET", databasePath, "", 200, served["database"], true},
		{"real upload status", "GET", sarifsPath + "/" + id, "", 200, served["status"], true},
		{"real upload answer", "POST", sarifsPath, valid, 202,
			[]byte(`{"id":"` + id + `","url":"` + contractBase + sarifsPath + "/" + id + `"}`), true},
		{"analysis without id", "GET", analysesPath + "/2", "", 200, withField(t, served["analysis"], "id", nil, true), false},
		{"analysis with a short commit_sha", "GET", analysesPath + "/2", "", 200,
			withField(t, served["analysis"], "commit_sha", "4b64722", false), false},
		{"analysis deletable as a string", "GET", analysesPath + "/2", "", 200,
			withField(t, served["analysis"], "deletable", "true", false), false},
		{"listed analysis without tool", "GET", analysesPath, "", 200,
			withFirstItemField(t, served["analyses"], "tool", nil, true), false},
		{"database without uploader", "GET", databasePath, "", 200,
			withField(t, served["database"], "uploader", nil, true), false},
		{"listed database with a size as a string", "GET", "repos/octo-org/app/code-scanning/codeql/databases", "", 200,
			withFirstItemField(t, served["databases"], "size", "4 MB", false), false},
		{"upload status done", "GET", sarifsPath + "/" + id, "", 200,
			withField(t, served["status"], "processing_status", "done", false), false},
		{"upload status with a relative analyses_url", "GET", sarifsPath + "/" + id, "", 200,
			withField(t, served["status"], "analyses_url", "analyses?sarif_id=x", false), false},
		{"upload answer with a numeric id", "POST", sarifsPath, valid, 202, []byte(`{"id":42}`), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := newContractRequest(t, tt.method, tt.path, tt.reqBody)
			header := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
			v := c.check(req, []byte(tt.reqBody), tt.status, header, tt.body)
			if v.request != nil {
				t.Fatalf("control request rejected: %v", v.request)
			}
			if (v.response == nil) != tt.valid {
				t.Errorf("validator said %v, want valid=%v", v.response, tt.valid)
			}
		})
	}

	t.Run("requests", func(t *testing.T) {
		t.Parallel()
		for body, ok := range map[string]bool{
			valid: true,
			`{"ref":"refs/heads/main","sarif":"H4sI"}`:                                                      false,
			fmt.Sprintf(`{"commit_sha":%q,"ref":"main","sarif":"H4sI"}`, uploadCommit):                      false,
			fmt.Sprintf(`{"commit_sha":%q,"ref":"refs/heads/main","sarif":"H4sI","extra":1}`, uploadCommit): false,
			strings.Replace(valid, uploadCommit, "xyz", 1):                                                  false,
		} {
			req := newContractRequest(t, "POST", sarifsPath, body)
			v := c.check(req, []byte(body), 202, http.Header{"Content-Type": {"application/json"}}, []byte(`{}`))
			if (v.request == nil) != ok {
				t.Errorf("request %s: validator said %v, want valid=%v", body, v.request, ok)
			}
		}
	})
}
