package e2e

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// The policy module's configuration mode on 50 repositories: one configuration attached to all
// of them and the default for new ones, a codescanning_default_setup only for the three that ask
// for more; a repository created afterwards is covered with no change to plan; a changed
// default (the configuration's runners, and which new repositories it is the default for) is one
// update that reaches every repository.
func TestOrgPolicyModuleConfigurationModeCoversTheOrganization(t *testing.T) {
	t.Parallel()
	emu, baseURL := newEmulatorWithInstantRuns(t)
	const repos = 50
	name := func(i int) string { return fmt.Sprintf("repo-%02d", i) }
	for i := range repos {
		emu.AddRepository(emulator.Repository{Owner: owner, Name: name(i), AdvancedSecurity: true, Languages: []string{"go", "javascript-typescript"}})
	}
	config := func(defaults, configuration string) string {
		return providerBlock + fmt.Sprintf(`
module "policy" {
  source        = "./modules/org-code-scanning-policy"
  owner         = %q
  defaults      = %s
  configuration = %s
  repositories = {
    "repo-00" = { query_suite = "extended" }
    "repo-01" = { threat_model = "remote_and_local" }
    "repo-02" = { languages = ["go"] }
    "repo-03" = {} # covered by the configuration: no resource of its own
  }
}

output "configuration" {
  value = module.policy.configuration
}
`, owner, defaults, configuration)
	}
	files := policyModuleFiles(t)
	files["main.tf"] = config(`{}`, `{ enforcement = "enforced" }`)
	w := newWorkspace(t, baseURL, files)
	w.mustRun(0, "get")

	// An enforced configuration would refuse the three repositories' own settings: the plan
	// says so, naming them and the fix, before anything is created.
	out := w.mustRun(1, "plan")
	if flat := strings.Join(strings.Fields(out), " "); !strings.Contains(flat, "repo-00, repo-01, repo-02 ask for more than the configuration gives") ||
		!strings.Contains(flat, `configuration.enforcement = "unenforced"`) {
		t.Errorf("the plan does not name the repositories and the fix:\n%s", out)
	}
	if len(ownConfigurations(emu)) != 0 {
		t.Fatal("a failed plan created a configuration")
	}

	w.writeFiles(map[string]string{"main.tf": config(`{}`, `{}`)})
	emu.ResetRequests()
	out = w.mustRun(0, "apply", "-auto-approve", "-parallelism=20")
	if !strings.Contains(out, "5 added, 0 changed, 0 destroyed") {
		t.Errorf("the apply should add the configuration, its attachment and three default setups:\n%s", out)
	}
	// Default setup for 50 repositories in 3 writes of it, one per repository asking for more.
	if n := countRequests(emu, http.MethodPatch, "/code-scanning/default-setup"); n != 3 {
		t.Errorf("the apply sent %d default setup PATCHes, want 3 (repo-00, repo-01, repo-02)", n)
	}
	configID := onlyConfiguration(t, emu)

	// covered checks every repository is attached to the configuration with default setup on
	// as the configuration gives it, but for the three that ask for more.
	covered := func(runner string, extra ...string) {
		t.Helper()
		for _, n := range append(names(repos, name), extra...) {
			id, status, ok := emu.RepositoryConfiguration(owner, n)
			if !ok || id != configID || status != "attached" {
				t.Errorf("%s: configuration %d %q, want %d attached", n, id, status, configID)
			}
			ds, _ := emu.DefaultSetup(owner, n)
			suite, threat, langs := "default", "remote", []string{"go", "javascript-typescript"}
			switch n {
			case "repo-00":
				suite = "extended"
			case "repo-01":
				threat = "remote_and_local"
			case "repo-02":
				langs = []string{"go"}
			}
			got := slices.Sorted(slices.Values(ds.Languages))
			if ds.State != "configured" || ds.QuerySuite != suite || ds.ThreatModel != threat || !slices.Equal(got, langs) || ds.RunnerType == nil || *ds.RunnerType != runner {
				t.Errorf("%s holds %s %q %s %s runner %s, want configured %q %s %s runner %s", n, ds.State, got, ds.QuerySuite, ds.ThreatModel, orNil(ds.RunnerType), langs, suite, threat, runner)
			}
		}
	}
	covered("standard")
	w.mustRun(0, "apply", "-refresh-only", "-auto-approve")
	w.mustRun(0, "plan", "-detailed-exitcode")

	// A repository created afterwards gets the configuration as the default for new ones:
	// covered at once, and nothing for Terraform to do.
	emu.AddRepository(emulator.Repository{Owner: owner, Name: "new-service", AdvancedSecurity: true, Languages: []string{"go", "javascript-typescript"}})
	covered("standard", "new-service")
	w.mustRun(0, "plan", "-detailed-exitcode")

	// A changed default: self-hosted runners for everyone, and the configuration the default
	// for new public repositories only. One update of the configuration.
	w.writeFiles(map[string]string{"main.tf": config(`{ runner_type = "labeled", runner_label = "code-scanning" }`, `{ default_for_new_repos = "public" }`)})
	out = w.mustRun(2, "plan", "-detailed-exitcode")
	flat := regexp.MustCompile(` +`).ReplaceAllString(out, " ")
	for _, want := range []string{`code_scanning_default_setup_runner_type = "not_set" -> "labeled"`, `+ code_scanning_default_setup_runner_label = "code-scanning"`, `~ default_for_new_repos = "all" -> "public"`, "0 to add, 1 to change, 0 to destroy"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the plan does not show %s:\n%s", want, out)
		}
	}
	emu.ResetRequests()
	out = w.mustRun(0, "apply", "-auto-approve")
	if !strings.Contains(out, "0 added, 1 changed, 0 destroyed") {
		t.Errorf("the changed default should be one change:\n%s", out)
	}
	if n := countRequests(emu, http.MethodPatch, "/code-scanning/default-setup"); n != 0 {
		t.Errorf("the changed default sent %d default setup PATCHes, want none", n)
	}
	covered("labeled", "new-service")
	if ds, _ := emu.DefaultSetup(owner, "repo-03"); ds.RunnerLabel == nil || *ds.RunnerLabel != "code-scanning" {
		t.Errorf("repo-03 runner label %v, want code-scanning", ds.RunnerLabel)
	}
	emu.AddRepository(emulator.Repository{Owner: owner, Name: "public-site", Visibility: emulator.VisibilityPublic, Languages: []string{"javascript-typescript"}})
	emu.AddRepository(emulator.Repository{Owner: owner, Name: "private-tool", AdvancedSecurity: true, Languages: []string{"go"}})
	if id, _, ok := emu.RepositoryConfiguration(owner, "public-site"); !ok || id != configID {
		t.Errorf("a new public repository is not given the configuration (%d, %v)", id, ok)
	}
	if id, _, ok := emu.RepositoryConfiguration(owner, "private-tool"); ok {
		t.Errorf("a new private repository got configuration %d, which is now the default for public ones only", id)
	}
	w.mustRun(0, "apply", "-refresh-only", "-auto-approve")
	w.mustRun(0, "plan", "-detailed-exitcode")
}

// ownConfigurations are the organization's own configurations (GitHub's global ones left out).
func ownConfigurations(emu *emulator.Emulator) []emulator.SecurityConfiguration {
	var own []emulator.SecurityConfiguration
	for _, c := range emu.SecurityConfigurations(owner) {
		if c.TargetType == "organization" {
			own = append(own, c)
		}
	}
	return own
}

// onlyConfiguration is the ID of the one configuration the organization has.
func onlyConfiguration(t *testing.T, emu *emulator.Emulator) int64 {
	t.Helper()
	configs := ownConfigurations(emu)
	if len(configs) != 1 {
		t.Fatalf("%s has %d configurations, want 1: %+v", owner, len(configs), configs)
	}
	return configs[0].ID
}

// countRequests counts the requests the emulator recorded with method to a path ending in suffix.
func countRequests(emu *emulator.Emulator, method, suffix string) int {
	n := 0
	for _, r := range emu.Requests() {
		if r.Method == method && strings.HasSuffix(r.Path, suffix) {
			n++
		}
	}
	return n
}

// orNil is *s, or "<nil>", for messages.
func orNil(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// names are n repository names made by name.
func names(n int, name func(int) string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = name(i)
	}
	return out
}

// The README's switch of an applied workspace from per-repository to configuration mode: the
// resources of the repositories that need nothing of their own are forgotten with
// `terraform state rm`, then configuration mode applies without destroying any, and no
// repository's default setup is turned off on the way.
func TestOrgPolicyModuleSwitchesToConfigurationModeWithoutAGap(t *testing.T) {
	t.Parallel()
	emu, baseURL := newEmulatorWithInstantRuns(t)
	var repos, entries []string
	for i := range 8 {
		n := fmt.Sprintf("repo-%02d", i)
		repos = append(repos, n)
		emu.AddRepository(emulator.Repository{Owner: owner, Name: n, AdvancedSecurity: true, Languages: []string{"go"}})
		if i > 0 {
			entries = append(entries, fmt.Sprintf("%q = {}", n))
		}
	}
	config := func(configuration string, others []string) string {
		return providerBlock + fmt.Sprintf(`
module "code_scanning" {
  source        = "./modules/org-code-scanning-policy"
  owner         = %q
  configuration = %s
  repositories = {
    "repo-00" = { query_suite = "extended" }
    %s
  }
}
`, owner, configuration, strings.Join(others, "\n    "))
	}
	files := policyModuleFiles(t)
	files["main.tf"] = config("null", entries)
	w := newWorkspace(t, baseURL, files)
	w.mustRun(0, "get")
	w.mustRun(0, "apply", "-auto-approve")

	args := []string{"state", "rm"}
	for _, n := range repos[1:] {
		args = append(args, fmt.Sprintf("module.code_scanning.codescanning_default_setup.this[%q]", n))
	}
	w.mustRun(0, args...)
	w.writeFiles(map[string]string{"main.tf": config("{}", nil)})
	out := w.mustRun(0, "apply", "-auto-approve")
	if !strings.Contains(out, "2 added, 0 changed, 0 destroyed") {
		t.Errorf("configuration mode should add the configuration and its attachment, and destroy nothing:\n%s", out)
	}
	configID := onlyConfiguration(t, emu)
	for _, n := range repos {
		ds, _ := emu.DefaultSetup(owner, n)
		suite := "default"
		if n == "repo-00" {
			suite = "extended"
		}
		id, status, _ := emu.RepositoryConfiguration(owner, n)
		if ds.State != "configured" || ds.QuerySuite != suite || id != configID || status != "attached" {
			t.Errorf("%s: default setup %s %s, configuration %d %q; want configured %s, %d attached", n, ds.State, ds.QuerySuite, id, status, suite, configID)
		}
	}
	for _, r := range emu.Requests() {
		if r.Method == http.MethodPatch && strings.HasSuffix(r.Path, "/code-scanning/default-setup") && strings.Contains(string(r.Body), "not-configured") {
			t.Errorf("the switch turned default setup off: %s %s", r.Path, r.Body)
		}
	}
	w.mustRun(0, "plan", "-detailed-exitcode")
}
