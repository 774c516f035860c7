package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestContractCoversEveryAlertAnswer provokes each answer each alert operation can give; testAPI.do
// validates every one of them (and the request that provoked it) against the description.
func TestContractCoversEveryAlertAnswer(t *testing.T) {
	t.Parallel()
	off := Repository{Owner: "octo-org", Name: "app"}
	archived := Repository{Owner: "octo-org", Name: "app", AdvancedSecurity: true, Archived: true}
	delegated := Repository{Owner: "octo-org", Name: "app", AdvancedSecurity: true, DelegatedDismissal: true}
	tests := []struct {
		name     string
		repo     Repository
		noAlerts bool
		method   string
		path     string
		body     string
		want     int
	}{
		{name: "alerts", method: "GET", path: alertsPath, want: 200},
		{name: "alerts by page", method: "GET", path: alertsPath + "?per_page=2&page=2&sort=updated", want: 200},
		{name: "alerts by cursor", method: "GET", path: alertsPath + "?per_page=2&after=&direction=asc", want: 200},
		{name: "alerts of a pull request", method: "GET", path: alertsPath + "?pr=7&severity=medium&assignees=none", want: 200},
		{name: "alerts by tool", method: "GET", path: alertsPath + "?tool_guid=" + codeQLGUID + "&state=closed", want: 200},
		{name: "alerts, bad filter", method: "GET", path: alertsPath + "?state=bogus", want: 422},
		{name: "alerts, never analysed", noAlerts: true, method: "GET", path: alertsPath, want: 404},
		{name: "alerts, Advanced Security off", repo: off, method: "GET", path: alertsPath, want: 403},
		{name: "organization alerts", method: "GET", path: "orgs/octo-org/code-scanning/alerts?per_page=2", want: 200},
		{name: "organization alerts by cursor", method: "GET",
			path: "orgs/octo-org/code-scanning/alerts?before=&severity=critical", want: 200},
		{name: "organization alerts, bad filter", method: "GET", path: "orgs/octo-org/code-scanning/alerts?per_page=0", want: 422},
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
		{name: "dismiss fixed", method: "PATCH", path: alertPath(2),
			body: `{"state":"dismissed","dismissed_reason":"won't fix"}`, want: 400},
		{name: "dismiss without a reason", method: "PATCH", path: alertPath(1), body: `{"state":"dismissed"}`, want: 422},
		{name: "dismiss again", method: "PATCH", path: alertPath(3),
			body: `{"state":"dismissed","dismissed_reason":"won't fix"}`, want: 409},
		{name: "PATCH malformed", method: "PATCH", path: alertPath(1), body: `{`, want: 400},
		{name: "PATCH archived", repo: archived, method: "PATCH", path: alertPath(1), body: `{"state":"open"}`, want: 403},
		{name: "PATCH unknown", method: "PATCH", path: alertPath(99), body: `{"state":"open"}`, want: 404},
		{name: "instances", method: "GET", path: alertPath(4) + "/instances?per_page=1", want: 200},
		{name: "instances of a pull request", method: "GET", path: alertPath(4) + "/instances?pr=7", want: 200},
		{name: "instances, bad filter", method: "GET", path: alertPath(4) + "/instances?pr=0", want: 422},
		{name: "instances unknown", method: "GET", path: alertPath(99) + "/instances", want: 404},
		{name: "instances, Advanced Security off", repo: off, method: "GET", path: alertPath(4) + "/instances", want: 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			repo := tt.repo
			if repo.Name == "" {
				repo = scanned("app")
			}
			a := newTestAPI(t, Config{}, repo)
			if !tt.noAlerts {
				addAlertFixture(t, a.emu)
			}
			if got := a.do(tt.method, tt.path, tt.body); got.status != tt.want {
				t.Errorf("status = %d, want %d; body %s", got.status, tt.want, got.body)
			}
		})
	}
}

// TestContractRejectsWrongAlertAnswers proves the validator would catch the alert operations
// breaking the contract: the real answers pass, and each is then broken one way and must fail.
func TestContractRejectsWrongAlertAnswers(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	addAlertFixture(t, a.emu)
	const orgPath = "orgs/octo-org/code-scanning/alerts"
	served := map[string][]byte{}
	for name, path := range map[string]string{
		"alert":     alertPath(3),
		"list":      alertsPath,
		"org":       orgPath,
		"instances": alertPath(4) + "/instances",
	} {
		served[name] = a.do("GET", path, "").body
	}
	c, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	const dismiss = `{"state":"dismissed","dismissed_reason":"won't fix"}`

	tests := []struct {
		name    string
		method  string
		path    string
		reqBody string
		body    []byte
		valid   bool
	}{
		{"real alert", "GET", alertPath(3), "", served["alert"], true},
		{"real list", "GET", alertsPath, "", served["list"], true},
		{"real organization list", "GET", orgPath, "", served["org"], true},
		{"real instances", "GET", alertPath(4) + "/instances", "", served["instances"], true},
		{"real PATCH answer", "PATCH", alertPath(3), dismiss, served["alert"], true},
		{"alert without number", "GET", alertPath(3), "", withField(t, served["alert"], "number", nil, true), false},
		{"alert with state closed", "GET", alertPath(3), "",
			withField(t, served["alert"], "state", "closed", false), false},
		{"alert with an unknown dismissed_reason", "GET", alertPath(3), "",
			withField(t, served["alert"], "dismissed_reason", "wontfix", false), false},
		{"alert with too long a comment", "GET", alertPath(3), "",
			withField(t, served["alert"], "dismissed_comment", strings.Repeat("x", 281), false), false},
		{"alert with a relative url", "GET", alertPath(3), "",
			withField(t, served["alert"], "url", "repos/octo-org/app/code-scanning/alerts/3", false), false},
		{"alert with dismissed_by a login", "GET", alertPath(3), "",
			withField(t, served["alert"], "dismissed_by", "octocat", false), false},
		{"PATCH answer without most_recent_instance", "PATCH", alertPath(3), dismiss,
			withField(t, served["alert"], "most_recent_instance", nil, true), false},
		{"list item with a mitigated alert", "GET", alertsPath, "",
			withFirstItemField(t, served["list"], "dismissed_reason", "mitigated", false), false},
		{"list item with rule severity high", "GET", alertsPath, "",
			withFirstItemField(t, served["list"], "rule", map[string]any{"severity": "high"}, false), false},
		{"list item without tool", "GET", alertsPath, "", withFirstItemField(t, served["list"], "tool", nil, true), false},
		{"organization item without repository", "GET", orgPath, "",
			withFirstItemField(t, served["org"], "repository", nil, true), false},
		{"instance dismissed", "GET", alertPath(4) + "/instances", "",
			withFirstItemField(t, served["instances"], "state", "dismissed", false), false},
		{"instance with a line as a string", "GET", alertPath(4) + "/instances", "",
			withFirstItemField(t, served["instances"], "location", map[string]any{"start_line": "10"}, false), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := newContractRequest(t, tt.method, tt.path, tt.reqBody)
			header := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
			v := c.check(req, []byte(tt.reqBody), http.StatusOK, header, tt.body)
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
		for _, tt := range []struct {
			method, path, body string
			valid              bool
		}{
			{"PATCH", alertPath(1), dismiss, true},
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
		} {
			req := newContractRequest(t, tt.method, tt.path, tt.body)
			v := c.check(req, []byte(tt.body), http.StatusOK, http.Header{"Content-Type": {"application/json"}}, served["alert"])
			if (v.request == nil) != tt.valid {
				t.Errorf("%s %s %s: validator said %v, want valid=%v", tt.method, tt.path, tt.body, v.request, tt.valid)
			}
		}
	})
}

// withFirstItemField is withField for the first object of a JSON array.
func withFirstItemField(t *testing.T, body []byte, key string, value any, remove bool) []byte {
	t.Helper()
	var items []json.RawMessage
	if err := json.Unmarshal(body, &items); err != nil || len(items) == 0 {
		t.Fatalf("body %s is not a non-empty array: %v", body, err)
	}
	items[0] = withField(t, items[0], key, value, remove)
	out, err := json.Marshal(items)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
