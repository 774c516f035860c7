package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// policyModule is the example module the policy tests copy, under examples/modules and under the
// workspace's modules.
const policyModule = "org-code-scanning-policy"

// policyModuleFiles reads the example module policyModule so that a workspace can hold a copy
// of it.
func policyModuleFiles(t *testing.T) map[string]string {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(here), "..", "..", "examples", "modules", policyModule)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tf") {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			files[filepath.Join("modules", policyModule, e.Name())] = string(b)
		}
	}
	return files
}

// The organization-wide policy module applied to 50 repositories, then the organization's
// defaults changed for all of them in one apply.
func TestOrgPolicyModuleRollsOutAndChangesDefaults(t *testing.T) {
	t.Parallel()
	emu, baseURL := newEmulator(t)
	var entries []string
	for i := range 50 {
		name := fmt.Sprintf("repo-%02d", i)
		emu.AddRepository(emulator.Repository{Owner: owner, Name: name, AdvancedSecurity: true, Languages: []string{"go", "javascript-typescript"}})
		switch i {
		case 0:
			entries = append(entries, fmt.Sprintf("%q = { threat_model = \"remote\", languages = [\"go\"] }", name))
		case 1:
			entries = append(entries, fmt.Sprintf("%q = { runner_type = \"labeled\", runner_label = \"code-scanning\" }", name))
		case 2:
			entries = append(entries, fmt.Sprintf("%q = { state = \"not-configured\" }", name))
		default:
			entries = append(entries, fmt.Sprintf("%q = {}", name))
		}
	}
	alert := emu.AddAlert(owner, "repo-03", emulator.Alert{State: "open",
		Rule:      emulator.AlertRule{ID: "js/xss", Name: "XSS", Severity: "error", Description: "XSS"},
		Tool:      emulator.AlertTool{Name: "CodeQL", Version: "2.19.0"},
		Instances: []emulator.AlertInstance{{Ref: "refs/heads/main", Path: "web/app.js", StartLine: 1, EndLine: 1, StartColumn: 1, EndColumn: 2, Message: "XSS", CommitSHA: strings.Repeat("d", 40)}},
	})
	config := func(defaults string) string {
		return providerBlock + fmt.Sprintf(`
module "policy" {
  source       = "./modules/org-code-scanning-policy"
  owner        = %q
  defaults     = %s
  repositories = {
    %s
  }
  dismissals = [
    { repository = "repo-03", alert_number = %d, reason = "false positive", comment = "Escaped by the template engine." },
  ]
}

output "policy" {
  value = module.policy.default_setups
}
`, owner, defaults, strings.Join(entries, "\n    "), alert)
	}
	files := policyModuleFiles(t)
	files["main.tf"] = config(`{ query_suite = "default" }`)
	w := newWorkspace(t, baseURL, files)

	expect := func(querySuite, threatModel string) {
		t.Helper()
		for i := range 50 {
			name := fmt.Sprintf("repo-%02d", i)
			ds, _ := emu.DefaultSetup(owner, name)
			wantState, wantSuite, wantThreat, wantLangs := "configured", querySuite, threatModel, []string{"go", "javascript-typescript"}
			switch i {
			case 0:
				wantThreat, wantLangs = "remote", []string{"go"}
			case 2:
				wantState, wantLangs = "not-configured", nil
			}
			langs := slices.Sorted(slices.Values(ds.Languages))
			if ds.State != wantState || (wantState == "configured" && (ds.QuerySuite != wantSuite || ds.ThreatModel != wantThreat || !slices.Equal(langs, wantLangs))) {
				t.Errorf("%s holds %s %q %s %s, want %s %q %s %s", name, ds.State, langs, ds.QuerySuite, ds.ThreatModel, wantState, wantLangs, wantSuite, wantThreat)
			}
		}
		if ds, _ := emu.DefaultSetup(owner, "repo-01"); ds.RunnerType == nil || *ds.RunnerType != "labeled" {
			t.Errorf("repo-01 runner %s, want labeled", orNil(ds.RunnerType))
		}
		if a, _ := emu.Alert(owner, "repo-03", alert); a.State != "dismissed" {
			t.Errorf("alert %d is %s, want dismissed", alert, a.State)
		}
	}

	w.mustRun(0, "get") // installs the local module; the provider comes from dev_overrides
	start := time.Now()
	w.mustRun(0, "apply", "-auto-approve", "-parallelism=20")
	t.Logf("first apply of 50 repositories: %v", time.Since(start))
	expect("default", "remote")
	// The module does not wait for runs, so the languages GitHub detects are known only once
	// they end: a refresh records them, as the module's README says, and the plan is then clean.
	w.mustRun(0, "apply", "-refresh-only", "-auto-approve")
	w.mustRun(0, "plan", "-detailed-exitcode")

	// One reviewed change to the organization's defaults reaches every repository without an
	// override of its own.
	w.writeFiles(map[string]string{"main.tf": config(`{ query_suite = "extended", threat_model = "remote_and_local" }`)})
	out := w.mustRun(0, "apply", "-auto-approve", "-parallelism=20")
	if !strings.Contains(out, "0 added, 49 changed, 0 destroyed") {
		t.Errorf("changing the defaults should change the 49 configured repositories:\n%s", out)
	}
	expect("extended", "remote_and_local")
	w.mustRun(0, "apply", "-refresh-only", "-auto-approve")
	w.mustRun(0, "plan", "-detailed-exitcode")
}
