package emulator

import (
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestAddAlertNumbersAndFillsIn(t *testing.T) {
	t.Parallel()
	e := New(Config{})
	e.AddRepository(scanned("app"))
	if n := e.AddAlert("octo-org", "app", Alert{}); n != 1 {
		t.Errorf("first alert numbered %d", n)
	}
	if n := e.AddAlert("octo-org", "app", Alert{Number: 40}); n != 40 {
		t.Errorf("explicit number gave %d", n)
	}
	if n := e.AddAlert("octo-org", "app", Alert{}); n != 41 {
		t.Errorf("alert after 40 numbered %d", n)
	}
	if n := e.AddAlert("octo-org", "nope", Alert{}); n != 0 {
		t.Errorf("alert for an unknown repository numbered %d", n)
	}

	got, ok := e.Alert("octo-org", "app", 1)
	if !ok {
		t.Fatal("alert 1 not found")
	}
	if got.State != "open" || got.Tool.Name != "CodeQL" || got.Tool.GUID == nil || got.CreatedAt.IsZero() ||
		!got.UpdatedAt.Equal(got.CreatedAt) || len(got.Instances) != 1 || got.Instances[0].Ref != defaultBranchRef ||
		got.Instances[0].State != "open" || len(got.Instances[0].CommitSHA) != 40 || got.Assignees == nil {
		t.Errorf("filled-in alert: %+v", got)
	}

	dismissed := e.AddAlert("octo-org", "app", Alert{State: "dismissed", UpdatedAt: fixtureStart})
	d, _ := e.Alert("octo-org", "app", dismissed)
	if *d.DismissedBy != "octocat" || *d.DismissedReason != "false positive" || !d.DismissedAt.Equal(fixtureStart) {
		t.Errorf("dismissed alert: by %v, reason %v, at %v", d.DismissedBy, d.DismissedReason, d.DismissedAt)
	}
	fixed := e.AddAlert("octo-org", "app", Alert{State: "fixed", DismissedReason: ptr("won't fix")})
	f, _ := e.Alert("octo-org", "app", fixed)
	if f.FixedAt == nil || f.DismissedReason != nil || f.Instances[0].State != "fixed" {
		t.Errorf("fixed alert: fixed_at %v, dismissed_reason %v, instance state %s",
			f.FixedAt, f.DismissedReason, f.Instances[0].State)
	}
}

// TestAlertAccessorsCopy proves a test cannot change the emulator through what it passes or gets.
func TestAlertAccessorsCopy(t *testing.T) {
	t.Parallel()
	e := New(Config{})
	e.AddRepository(scanned("app"))
	in := Alert{Assignees: []string{"hubot"}, Rule: AlertRule{Tags: []string{"security"}}}
	e.AddAlert("octo-org", "app", in)
	in.Assignees[0], in.Rule.Tags[0] = "changed", "changed"
	got, _ := e.Alert("octo-org", "app", 1)
	got.Assignees[0], got.Instances[0].Path = "changed", "changed"
	again, _ := e.Alert("octo-org", "app", 1)
	if again.Assignees[0] != "hubot" || again.Rule.Tags[0] != "security" || again.Instances[0].Path != "main.go" {
		t.Errorf("emulator state changed through a caller's value: %+v", again)
	}
}

func TestUpdateAlertBehindTheClientsBack(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	clock := a.useFakeClock()
	addAlertFixture(t, a.emu)

	// Reopening a dismissed alert in the UI clears its dismissal and marks it updated now.
	if !a.emu.UpdateAlert("octo-org", "app", 3, func(al *Alert) { al.State = "open" }) {
		t.Fatal("UpdateAlert did not find alert 3")
	}
	got := a.getAlert(3)
	if got["state"] != "open" || got["dismissed_by"] != nil || got["dismissed_reason"] != nil ||
		got["dismissed_at"] != nil || got["updated_at"] != clock.Now().Format(time.RFC3339) {
		t.Errorf("after reopening: %v", got)
	}
	// Dismissing fills in who and when.
	a.emu.UpdateAlert("octo-org", "app", 1, func(al *Alert) {
		al.State, al.DismissedReason, al.DismissedBy = "dismissed", ptr("used in tests"), ptr("monalisa")
	})
	got = a.getAlert(1)
	if by, _ := got["dismissed_by"].(map[string]any); by["login"] != "monalisa" ||
		got["dismissed_at"] != clock.Now().Format(time.RFC3339) || got["dismissed_reason"] != "used in tests" {
		t.Errorf("after dismissing: %v", got)
	}
	// An explicit updated_at is kept.
	a.emu.UpdateAlert("octo-org", "app", 2, func(al *Alert) { al.UpdatedAt = fixtureStart })
	if got := a.getAlert(2); got["updated_at"] != fixtureStart.Format(time.RFC3339) {
		t.Errorf("updated_at = %v", got["updated_at"])
	}
	if a.emu.UpdateAlert("octo-org", "app", 99, func(*Alert) { t.Error("mutate called for an unknown alert") }) {
		t.Error("UpdateAlert reported an unknown alert as found")
	}
}

func TestSeedAlertsIsDeterministicAndMixed(t *testing.T) {
	t.Parallel()
	seed := func(seed int64) *Emulator {
		e := New(Config{})
		e.AddRepository(scanned("app"))
		e.SeedAlerts("octo-org", "app", 400, seed)
		return e
	}
	one, same, other := seed(7), seed(7), seed(8)
	differs := false
	count := map[string]int{}
	for n := 1; n <= 400; n++ {
		a, _ := one.Alert("octo-org", "app", n)
		b, _ := same.Alert("octo-org", "app", n)
		c, _ := other.Alert("octo-org", "app", n)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("alert %d differs between two emulators seeded alike", n)
		}
		differs = differs || !reflect.DeepEqual(a, c)

		count["state "+a.State]++
		count["tool "+a.Tool.Name]++
		if a.Tool.GUID == nil {
			count["no guid"]++
		}
		if a.Rule.SecuritySeverityLevel == nil {
			count["no security severity"]++
		} else {
			count["security "+*a.Rule.SecuritySeverityLevel]++
		}
		count["severity "+a.Rule.Severity]++
		if len(a.Assignees) > 0 {
			count["assigned"]++
		}
		if a.instanceOn(defaultBranchRef) == nil {
			count["pull request only"]++
		}
		for _, in := range a.Instances {
			if strings.HasPrefix(in.Ref, "refs/pull/") {
				count["in a pull request"]++
			}
			if slices.Contains(in.Classifications, "test") &&
				(strings.HasPrefix(in.Path, "test/") || strings.HasSuffix(in.Path, "_test.go") || strings.HasPrefix(in.Path, "tests/")) {
				count["test"]++
			}
			if slices.Contains(in.Classifications, "generated") {
				count["generated"]++
			}
		}
		if a.State == "dismissed" && (a.DismissedBy == nil || a.DismissedReason == nil) {
			t.Errorf("dismissed alert %d without who or why", n)
		}
	}
	if !differs {
		t.Error("different seeds gave the same alerts")
	}
	for _, want := range []string{"state open", "state fixed", "state dismissed", "tool CodeQL", "tool Semgrep OSS",
		"tool Trivy", "no guid", "no security severity", "security low", "security medium", "security high",
		"security critical", "severity error", "severity warning", "severity note", "assigned",
		"pull request only", "in a pull request", "test", "generated"} {
		if count[want] == 0 {
			t.Errorf("400 seeded alerts have none with %s (counts %v)", want, count)
		}
	}
	if count["state open"] < count["state fixed"] || count["state fixed"] < count["state dismissed"] {
		t.Errorf("state mix %v is not mostly open, then fixed, then dismissed", count)
	}
}

// getAlert returns GET alerts/{number}'s body, decoded.
func (a *testAPI) getAlert(number int) map[string]any {
	a.t.Helper()
	got := a.do("GET", alertPath(number), "")
	if got.status != http.StatusOK {
		a.t.Fatalf("GET alert %d: status %d, body %s", number, got.status, got.body)
	}
	return got.object(a.t)
}

func alertPath(number int) string {
	return alertsPath + "/" + strconv.Itoa(number)
}

func TestGetAlert(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	addAlertFixture(t, a.emu)
	got := a.getAlert(3)
	wantURL := a.base + alertsPath + "/3"
	rule, _ := got["rule"].(map[string]any)
	tool, _ := got["tool"].(map[string]any)
	mri, _ := got["most_recent_instance"].(map[string]any)
	by, _ := got["dismissed_by"].(map[string]any)
	assignees, _ := got["assignees"].([]any)
	if got["url"] != wantURL || got["instances_url"] != wantURL+"/instances" ||
		got["html_url"] != a.root()+"octo-org/app/security/code-scanning/3" {
		t.Errorf("urls: %v %v %v", got["url"], got["instances_url"], got["html_url"])
	}
	if got["state"] != "dismissed" || by["login"] != "octocat" || got["dismissed_reason"] != "won't fix" ||
		rule["id"] != "semgrep.rule" || rule["security_severity_level"] != nil || tool["guid"] != nil ||
		mri["state"] != "dismissed" || len(assignees) != 2 {
		t.Errorf("alert 3: %v", got)
	}
	// An alert found only in a pull request is shown with that instance.
	if mri, _ := a.getAlert(5)["most_recent_instance"].(map[string]any); mri["ref"] != "refs/pull/7/merge" {
		t.Errorf("alert 5 shown with %v", mri["ref"])
	}

	for _, tt := range []struct {
		name, path  string
		repo        Repository
		wantStatus  int
		wantMessage string
	}{
		{"unknown alert", alertPath(99), scanned("app"), http.StatusNotFound, msgNotFound},
		{"not a number", alertsPath + "/x", scanned("app"), http.StatusNotFound, msgNotFound},
		{"unknown repository", "repos/octo-org/nope/code-scanning/alerts/1", scanned("app"), http.StatusNotFound, msgNotFound},
		{"Advanced Security off", alertPath(1), Repository{Owner: "octo-org", Name: "app"},
			http.StatusForbidden, msgAdvancedSecurityDisabled},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := newTestAPI(t, Config{}, tt.repo)
			b.emu.AddAlert("octo-org", "app", Alert{})
			b.do("GET", tt.path, "").expectError(t, tt.wantStatus, tt.wantMessage)
		})
	}
}

func TestListAlertInstances(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	addAlertFixture(t, a.emu)
	a.emu.UpdateAlert("octo-org", "app", 4, func(al *Alert) {
		al.State, al.DismissedReason = "dismissed", ptr("false positive")
		al.Instances = append(al.Instances, AlertInstance{Ref: "refs/heads/release", State: "fixed"})
	})
	refs := func(items []map[string]any) []string {
		out := make([]string, len(items))
		for i, item := range items {
			out[i], _ = item["ref"].(string)
		}
		return out
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"refs/pull/7/merge", defaultBranchRef, "refs/heads/release"}},
		{"?ref=main", []string{defaultBranchRef}},
		{"?ref=refs/heads/release", []string{"refs/heads/release"}},
		{"?pr=7", []string{"refs/pull/7/merge"}},
		{"?pr=8", []string{}},
		{"?per_page=2", []string{"refs/pull/7/merge", defaultBranchRef}},
		{"?per_page=2&page=2", []string{"refs/heads/release"}},
	}
	for _, tt := range tests {
		resp, items := a.listAlerts(alertPath(4) + "/instances" + tt.query)
		if got := refs(items); !slices.Equal(got, tt.want) {
			t.Errorf("%q: refs %v, want %v", tt.query, got, tt.want)
		}
		if tt.query == "?per_page=2" && !strings.Contains(resp.header.Get("Link"), `page=2>; rel="next"`) {
			t.Errorf("first of two pages: Link %q", resp.header.Get("Link"))
		}
		// Instances keep their own state: open, or fixed; a dismissal is the alert's, not theirs.
		for _, item := range items {
			if item["state"] != "open" && item["state"] != "fixed" {
				t.Errorf("%q: instance state %v", tt.query, item["state"])
			}
		}
	}

	a.do("GET", alertPath(99)+"/instances", "").expectError(t, http.StatusNotFound, msgNotFound)
	if got := a.do("GET", alertPath(4)+"/instances?pr=0", ""); got.status != http.StatusUnprocessableEntity {
		t.Errorf("pr=0: status %d", got.status)
	}
	if got := a.do("GET", alertPath(4)+"/instances?per_page=500", ""); got.status != http.StatusUnprocessableEntity {
		t.Errorf("per_page=500: status %d", got.status)
	}
}
