package emulator

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

const sarifsPath = "repos/octo-org/app/code-scanning/sarifs"

var uploadCommit = strings.Repeat("4b6472266a", 4)

// encodeSarif gzips and base64-encodes a SARIF log, as a client must before uploading it.
func encodeSarif(t *testing.T, log any) string {
	t.Helper()
	raw, ok := log.([]byte)
	if !ok {
		var err error
		if raw, err = json.Marshal(log); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

// finding is one result for testLog: a rule at a line of a file.
type finding struct {
	rule, path string
	line       int
}

// testLog is a SARIF log of one run of ExtScan, a tool that declares two rules, one a security
// rule; category "" leaves the run without automationDetails.
func testLog(category string, findings ...finding) map[string]any {
	results := []any{}
	for _, f := range findings {
		results = append(results, map[string]any{
			"ruleId":  f.rule,
			"message": map[string]any{"text": "Found " + f.rule + "."},
			"locations": []any{map[string]any{"physicalLocation": map[string]any{
				"artifactLocation": map[string]any{"uri": f.path},
				"region":           map[string]any{"startLine": f.line, "startColumn": 3, "endColumn": 9},
			}}},
		})
	}
	run := map[string]any{
		"tool": map[string]any{"driver": map[string]any{
			"name": "ExtScan", "semanticVersion": "1.2.3",
			"rules": []any{
				map[string]any{"id": "ext/injection", "shortDescription": map[string]any{"text": "Injection"},
					"defaultConfiguration": map[string]any{"level": "error"},
					"properties":           map[string]any{"tags": []any{"security"}, "security-severity": "8.1"}},
				map[string]any{"id": "ext/style", "shortDescription": map[string]any{"text": "Style"},
					"defaultConfiguration": map[string]any{"level": "note"}},
			},
		}},
		"results": results,
	}
	if category != "" {
		run["automationDetails"] = map[string]any{"id": category + "/run-1"}
	}
	return map[string]any{"version": "2.1.0", "$schema": sarifSchema, "runs": []any{run}}
}

// upload POSTs a log for the default branch and returns the upload's id, failing the test unless
// it is accepted.
func (a *testAPI) upload(log any, extra string) string {
	a.t.Helper()
	body := fmt.Sprintf(`{"commit_sha":%q,"ref":%q,"sarif":%q%s}`, uploadCommit, defaultBranchRef, encodeSarif(a.t, log), extra)
	got := a.do("POST", sarifsPath, body)
	if got.status != http.StatusAccepted {
		a.t.Fatalf("upload: status %d, body %s", got.status, got.body)
	}
	var accepted sarifUploadJSON
	if err := json.Unmarshal(got.body, &accepted); err != nil || accepted.ID == "" {
		a.t.Fatalf("202 body %s: %v", got.body, err)
	}
	if accepted.URL != a.base+sarifsPath+"/"+accepted.ID {
		a.t.Errorf("url = %s", accepted.URL)
	}
	return accepted.ID
}

// uploadStatus returns GET sarifs/{id}'s body, decoded.
func (a *testAPI) uploadStatus(id string) sarifStatusJSON {
	a.t.Helper()
	got := a.do("GET", sarifsPath+"/"+id, "")
	if got.status != http.StatusOK {
		a.t.Fatalf("GET upload %s: status %d, body %s", id, got.status, got.body)
	}
	var status sarifStatusJSON
	if err := json.Unmarshal(got.body, &status); err != nil {
		a.t.Fatal(err)
	}
	return status
}

func TestSarifUploadLifecycle(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{SarifProcessing: 30 * time.Second}, scanned("app"))
	clock := a.useFakeClock()
	log := testLog("ext", finding{"ext/injection", "src/app.go", 10}, finding{"ext/style", "src/app_test.go", 4})
	id := a.upload(log, `,"tool_name":"ExtScan","validate":true,"started_at":"2025-03-01T11:59:00Z"`)

	if got := a.uploadStatus(id); got.ProcessingStatus != "pending" || got.AnalysesURL != nil || got.Errors != nil {
		t.Errorf("just uploaded: %+v", got)
	}
	a.do("GET", alertsPath, "").expectError(t, http.StatusNotFound, msgNoAnalysisFound)

	clock.Advance(30 * time.Second)
	got := a.uploadStatus(id)
	wantURL := a.base + analysesPath + "?sarif_id=" + id
	if got.ProcessingStatus != "complete" || got.AnalysesURL == nil || *got.AnalysesURL != wantURL {
		t.Fatalf("after processing: %+v", got)
	}
	_, analyses := a.listAlerts(analysesPath + "?sarif_id=" + id)
	if len(analyses) != 1 || analyses[0]["results_count"] != float64(2) || analyses[0]["rules_count"] != float64(2) ||
		analyses[0]["category"] != "ext" || analyses[0]["commit_sha"] != uploadCommit ||
		analyses[0]["created_at"] != clock.Now().Format(time.RFC3339) {
		t.Fatalf("analyses of the upload: %v", analyses)
	}

	// The accessor shows what the client sent.
	status, ok := a.emu.SarifUpload("octo-org", "app", id)
	var sent map[string]any
	if !ok || status.ProcessingStatus != "complete" || status.Ref != "refs/heads/main" || len(status.AnalysisIDs) != 1 ||
		json.Unmarshal(status.SARIF, &sent) != nil || sent["version"] != "2.1.0" {
		t.Errorf("SarifUpload() = %+v, %v", status, ok)
	}
	if _, ok := a.emu.SarifUpload("octo-org", "app", "nope"); ok {
		t.Error("SarifUpload found an unknown id")
	}
	a.do("GET", sarifsPath+"/nope", "").expectError(t, http.StatusNotFound, msgNotFound)
}

func TestSarifUploadProcessingFails(t *testing.T) {
	t.Parallel()
	noLocation := testLog("")
	noLocationRun, _ := noLocation["runs"].([]any)
	run, _ := noLocationRun[0].(map[string]any)
	run["results"] = []any{map[string]any{"ruleId": "ext/style", "message": map[string]any{"text": "x"}}}
	undeclared := testLog("", finding{"ext/unknown", "a.go", 1})
	tooManyRuns := map[string]any{"version": "2.1.0", "runs": slices.Repeat([]any{run}, 21)}

	tests := []struct {
		name       string
		log        any
		extra      string
		wantErrors []string // prefixes
	}{
		{"no runs", map[string]any{"version": "2.1.0"}, "", []string{`Invalid SARIF: the log has no "runs" property.`}},
		{"another version", map[string]any{"version": "2.0.0", "runs": []any{}}, "",
			[]string{`Invalid SARIF: version "2.0.0" is not supported`}},
		{"runs not an array", map[string]any{"version": "2.1.0", "runs": 5}, "", []string{"Invalid SARIF: json: "}},
		{"a run without a tool name", map[string]any{"version": "2.1.0", "runs": []any{map[string]any{"results": []any{}}}},
			"", []string{"Invalid SARIF: runs[0].tool.driver.name is missing."}},
		{"too many runs", tooManyRuns, "", []string{"Invalid SARIF: 21 runs is more than the 20 allowed"}},
		{"validated, a result without a location", noLocation, `,"validate":true`,
			[]string{"runs[0].results[0]: expected at least one location."}},
		{"validated, an undeclared rule", undeclared, `,"validate":true`,
			[]string{`runs[0].results[0]: rule "ext/unknown" is not declared in tool.driver.rules.`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newTestAPI(t, Config{}, scanned("app"))
			got := a.uploadStatus(a.upload(tt.log, tt.extra))
			if got.ProcessingStatus != "failed" || got.AnalysesURL != nil || len(got.Errors) != len(tt.wantErrors) {
				t.Fatalf("status %+v", got)
			}
			for i, want := range tt.wantErrors {
				if !strings.HasPrefix(got.Errors[i], want) {
					t.Errorf("error %q, want %q…", got.Errors[i], want)
				}
			}
		})
	}

	t.Run("without validate, what cannot be placed is skipped", func(t *testing.T) {
		t.Parallel()
		a := newTestAPI(t, Config{}, scanned("app"))
		got := a.uploadStatus(a.upload(noLocation, ""))
		if got.ProcessingStatus != "complete" {
			t.Fatalf("status %+v", got)
		}
		_, analyses := a.listAlerts(analysesPath)
		if len(analyses) != 1 || analyses[0]["results_count"] != float64(0) ||
			!strings.Contains(fmt.Sprint(analyses[0]["warning"]), "1 results were skipped") {
			t.Errorf("analysis %v", analyses)
		}
		id := a.upload(undeclared, "")
		if got := a.uploadStatus(id); got.ProcessingStatus != "complete" {
			t.Fatalf("an undeclared rule without validate: %+v", got)
		}
		if _, analyses := a.listAlerts(analysesPath + "?sarif_id=" + id); len(analyses) != 1 || analyses[0]["results_count"] != float64(1) {
			t.Errorf("the analysis of a result of an undeclared rule: %v", analyses)
		}
	})
}

func TestSarifUploadRefusals(t *testing.T) {
	t.Parallel()
	valid := encodeSarif(t, testLog(""))
	body := func(fields string) string {
		return fmt.Sprintf(`{"commit_sha":%q,"ref":"refs/heads/main",%s}`, uploadCommit, fields)
	}
	tests := []struct {
		name        string
		cfg         Config
		repo        Repository
		body        string
		wantStatus  int
		wantMessage string // in full, or a prefix ending in "…"
	}{
		{name: "not base64", body: body(`"sarif":"not base64!"`), wantStatus: 400, wantMessage: msgSarifNotBase64},
		{name: "not gzip", body: body(fmt.Sprintf(`"sarif":%q`, base64.StdEncoding.EncodeToString([]byte(`{"version":"2.1.0"}`)))),
			wantStatus: 400, wantMessage: msgSarifNotGzip},
		{name: "not JSON", body: body(fmt.Sprintf(`"sarif":%q`, encodeSarif(t, []byte("<sarif/>")))),
			wantStatus: 400, wantMessage: msgSarifNotJSON},
		{name: "too large", cfg: Config{SarifMaxBytes: 64}, body: body(fmt.Sprintf(`"sarif":%q`, valid)),
			wantStatus: 413, wantMessage: "The sarif field is too large: …"},
		{name: "malformed", body: `{"sarif":`, wantStatus: 400, wantMessage: msgProblemsParsingJSON},
		{name: "no sarif", body: body(`"validate":false`), wantStatus: 422,
			wantMessage: "Invalid request.\n\n\"sarif\" wasn't supplied."},
		{name: "short commit", body: `{"commit_sha":"4b64722","ref":"refs/heads/main","sarif":"` + valid + `"}`,
			wantStatus: 422, wantMessage: "Invalid request.\n\nFor 'properties/commit_sha', \"4b64722\" does not match…"},
		{name: "branch name for a ref", body: `{"commit_sha":"` + uploadCommit + `","ref":"main","sarif":"` + valid + `"}`,
			wantStatus: 422, wantMessage: "Invalid request.\n\nFor 'properties/ref', \"main\" does not match…"},
		{name: "unknown key", body: body(fmt.Sprintf(`"sarif":%q,"category":"x"`, valid)), wantStatus: 422,
			wantMessage: "Invalid request.\n\n\"category\" is not a permitted key."},
		{name: "started_at not a time", body: body(fmt.Sprintf(`"sarif":%q,"started_at":"yesterday"`, valid)),
			wantStatus: 422, wantMessage: "Invalid request.\n\nFor 'properties/started_at', \"yesterday\" is not a date-time."},
		{name: "archived", repo: Repository{Owner: "octo-org", Name: "app", AdvancedSecurity: true, Archived: true},
			body: body(fmt.Sprintf(`"sarif":%q`, valid)), wantStatus: 403, wantMessage: msgArchived},
		{name: "Advanced Security off", repo: Repository{Owner: "octo-org", Name: "app"},
			body: body(fmt.Sprintf(`"sarif":%q`, valid)), wantStatus: 403, wantMessage: msgAdvancedSecurityDisabled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			repo := tt.repo
			if repo.Name == "" {
				repo = scanned("app")
			}
			a := newTestAPI(t, tt.cfg, repo)
			got := a.do("POST", sarifsPath, tt.body)
			if prefix, ok := strings.CutSuffix(tt.wantMessage, "…"); ok {
				msg, _ := got.object(t)["message"].(string)
				if got.status != tt.wantStatus || !strings.HasPrefix(msg, prefix) {
					t.Errorf("status %d, message %q; want %d, %q…", got.status, msg, tt.wantStatus, prefix)
				}
			} else {
				got.expectError(t, tt.wantStatus, tt.wantMessage)
			}
		})
	}
}
