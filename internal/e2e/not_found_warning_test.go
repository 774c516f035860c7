package e2e

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// wordsPattern matches words that terraform may have wrapped across lines.
func wordsPattern(words string) *regexp.Regexp {
	parts := strings.Fields(words)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(strings.Join(parts, `\s+`))
}

// A 404 during refresh or destroy drops the resource from the state; terraform's output says so
// as a warning naming the repository, and tells a repository GitHub no longer shows (deleted, or
// hidden from the token: the setting stays on GitHub) from one it shows (the 404 is about the
// setting or alert, or its permission).
func TestNotFoundDuringRefreshAndDestroyIsAWarningThatSaysWhy(t *testing.T) {
	t.Parallel()
	emu, baseURL := newEmulator(t)
	for _, name := range []string{"gone", "hidden", "no-permission"} {
		emu.AddRepository(emulator.Repository{Owner: owner, Name: name, AdvancedSecurity: true, Languages: []string{"go"}})
	}
	alert := emu.AddAlert(owner, "hidden", emulator.Alert{
		State: "open",
		Rule:  emulator.AlertRule{ID: "go/sql-injection", Name: "SQL injection", Severity: "error", Description: "SQL injection"},
		Tool:  emulator.AlertTool{Name: "CodeQL", Version: "2.19.0"},
		Instances: []emulator.AlertInstance{{Ref: "refs/heads/main", Path: "db.go", StartLine: 1, EndLine: 1, StartColumn: 1, EndColumn: 2,
			Message: "Query built from user input.", CommitSHA: strings.Repeat("a", 40), Category: "/language:go"}},
		CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	})
	w := newWorkspace(t, baseURL, map[string]string{"main.tf": providerBlock + `
resource "codescanning_default_setup" "this" {
  for_each   = toset(["gone", "hidden", "no-permission"])
  repository = each.key
  languages  = ["go"]
}

resource "codescanning_alert_dismissal" "sql" {
  repository   = "hidden"
  alert_number = ` + strconv.Itoa(alert) + `
  reason       = "false positive"
}
`})
	w.mustRun(0, "apply", "-auto-approve")

	emu.DeleteRepository(owner, "gone")
	// The token loses sight of "hidden" (GitHub answers 404 for all of it while keeping its
	// settings) and may no longer read the default setup of "no-permission".
	emu.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		if strings.Contains(r.URL.Path, "/repos/"+owner+"/hidden") ||
			(strings.Contains(r.URL.Path, "/repos/"+owner+"/no-permission/") && strings.HasSuffix(r.URL.Path, "/default-setup")) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}`))
			return true
		}
		return false
	})

	out := w.mustRun(0, "plan")
	t.Logf("plan:\n%s", out)
	for _, want := range []string{
		"Warning: GitHub answers 404 for the code scanning default setup of " + owner + "/gone; removed from the state",
		"Warning: GitHub answers 404 for the code scanning default setup of " + owner + "/hidden; removed from the state",
		"Warning: GitHub answers 404 for the code scanning alert " + strconv.Itoa(alert) + " of " + owner + "/hidden; removed from the state",
		"GitHub answers 404 for the repository itself: it was deleted, renamed or transferred, or this token cannot see it. If it still exists, it keeps its default setup as it is",
		"a classic token needs the repo scope for a private repository",
		"Warning: GitHub answers 404 for the code scanning default setup of " + owner + "/no-permission; removed from the state",
		"The repository exists and the token can see it, so this 404 is about the code scanning default setup itself",
		"Administration",
	} {
		if !wordsPattern(want).MatchString(out) {
			t.Errorf("the plan's output does not say %q", want)
		}
	}

	// A destroy that does not refresh first meets the 404s in Delete.
	out = w.mustRun(0, "destroy", "-auto-approve", "-refresh=false")
	t.Logf("destroy:\n%s", out)
	for _, want := range []string{
		"Warning: Nothing to destroy: GitHub answers 404 for the code scanning default setup of " + owner + "/hidden",
		"Warning: Nothing to destroy: GitHub answers 404 for the code scanning alert " + strconv.Itoa(alert) + " of " + owner + "/hidden",
		"keeps the alert as it is (a dismissal is not reopened)",
		"Warning: Nothing to destroy: GitHub answers 404 for the code scanning default setup of " + owner + "/no-permission",
	} {
		if !wordsPattern(want).MatchString(out) {
			t.Errorf("the destroy's output does not say %q", want)
		}
	}
	if ds, _ := emu.DefaultSetup(owner, "hidden"); ds.State != "configured" {
		t.Fatalf("hidden shows %q; the emulator should still hold what the token cannot see", ds.State)
	}
}
