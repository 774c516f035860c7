package e2e

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// The drift guide's promise: `terraform plan -detailed-exitcode` exits 0 while GitHub matches the
// configuration and 2 after each kind of out-of-band change, naming what changed.
func TestPlanDetailedExitCodeReportsEachKindOfDrift(t *testing.T) {
	t.Parallel()
	emu, baseURL := newEmulator(t)
	for _, name := range []string{"api", "web"} {
		emu.AddRepository(emulator.Repository{Owner: owner, Name: name, AdvancedSecurity: true, Languages: []string{"go", "python"}})
	}
	alert := emu.AddAlert(owner, "api", emulator.Alert{
		State: "open",
		Rule:  emulator.AlertRule{ID: "go/sql-injection", Name: "SQL injection", Severity: "error", Description: "SQL injection"},
		Tool:  emulator.AlertTool{Name: "CodeQL", Version: "2.19.0"},
		Instances: []emulator.AlertInstance{{Ref: "refs/heads/main", Path: "internal/db/query.go", StartLine: 3, EndLine: 3, StartColumn: 1, EndColumn: 9,
			Message: "Query built from user input.", CommitSHA: strings.Repeat("b", 40), Category: "/language:go"}},
		CreatedAt: time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC),
	})
	w := newWorkspace(t, baseURL, map[string]string{"main.tf": providerBlock + `
resource "codescanning_default_setup" "api" {
  repository  = "api"
  languages   = ["go", "python"]
  query_suite = "extended"
}

resource "codescanning_default_setup" "web" {
  repository = "web"
}

resource "codescanning_alert_dismissal" "sql" {
  repository   = "api"
  alert_number = ` + strconv.Itoa(alert) + `
  reason       = "false positive"
  comment      = "Parameterized by the query builder."
}
`})
	w.mustRun(0, "apply", "-auto-approve")
	w.mustRun(0, "plan", "-detailed-exitcode")

	drifts := []struct {
		name   string
		change func()
		shows  string
	}{
		{"languages changed in the UI", func() {
			emu.SetDefaultSetup(owner, "api", emulator.DefaultSetup{State: "configured", Languages: []string{"go"}, QuerySuite: "extended", ThreatModel: "remote"})
		}, `~ languages`},
		{"default setup disabled", func() {
			emu.SetDefaultSetup(owner, "web", emulator.DefaultSetup{State: "not-configured", QuerySuite: "default", ThreatModel: "remote"})
		}, `~ state = "not-configured" -> "configured"`},
		{"alert reopened", func() {
			emu.UpdateAlert(owner, "api", alert, func(a *emulator.Alert) { a.State = "open" })
		}, `+ reason = "false positive"`},
	}
	for _, d := range drifts {
		d.change()
		out := w.mustRun(2, "plan", "-detailed-exitcode")
		t.Logf("%s:\n%s", d.name, out)
		// Terraform aligns "=" to a resource's longest attribute name: runs of spaces count as one.
		if !strings.Contains(regexp.MustCompile(` +`).ReplaceAllString(out, " "), d.shows) {
			t.Errorf("%s: the plan does not show %q:\n%s", d.name, d.shows, out)
		}
		w.mustRun(0, "apply", "-auto-approve")
		w.mustRun(0, "plan", "-detailed-exitcode")
	}
	w.mustRun(0, "destroy", "-auto-approve")
}
