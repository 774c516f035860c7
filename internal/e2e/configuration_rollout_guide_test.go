package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/tfcli"
)

// The configuration rollout guide's steps, from its own HCL, through the real CLI: per-repository
// resources, then the configuration, the attachment, the check, the removed and moved blocks, and
// the default for new repositories. After every step each repository still has default setup on
// (payments-api with its own extended suite), and at no point did a request turn it off or
// detach a repository.
func TestConfigurationRolloutGuideKeepsEveryRepositoryCovered(t *testing.T) {
	requireCLIFeature(t, tfcli.RemovedBlocks)
	t.Parallel()
	blocks := guideBlocks(t, "configuration-rollout.md.tmpl")
	block := func(marker string) string {
		t.Helper()
		var found []string
		for _, b := range blocks {
			if strings.Contains(b, marker) && !strings.Contains(b, "# ...") {
				found = append(found, b)
			}
		}
		if len(found) != 1 {
			t.Fatalf("the guide has %d terraform blocks with %s, want 1", len(found), marker)
		}
		return found[0]
	}
	start := block(`resource "codescanning_default_setup" "this"`)
	configuration := block(`resource "codescanning_security_configuration" "org"`)
	attachment := block(`resource "codescanning_security_configuration_attachment" "org"`)
	check := block(`data "codescanning_repository_security_configuration" "check"`)
	removed := block("removed {")
	beyond := block(`resource "codescanning_default_setup" "beyond_configuration"`)
	if c, _ := cli(); c.Supports(tfcli.RemovedBlockLifecycle) != nil {
		// As the guide says for OpenTofu before 1.10: the removed block without its lifecycle.
		removed = regexp.MustCompile(`(?s)\n\s*lifecycle \{.*?\}\n`).ReplaceAllString(removed, "\n")
	}
	// The guide's fragment for step 4 names the one line it adds to the configuration.
	const newRepos = `default_for_new_repos = "all"`
	if !anyBlockHasAll(blocks, "# ...", newRepos) {
		t.Fatalf("the guide's step 4 does not add %s to the configuration", newRepos)
	}

	emu, baseURL := newEmulator(t)
	var repos []string
	for i := range 12 {
		repos = append(repos, fmt.Sprintf("svc-%02d", i))
	}
	repos = append(repos, "payments-api")
	for _, name := range repos {
		emu.AddRepository(emulator.Repository{Owner: owner, Name: name, AdvancedSecurity: true, Languages: []string{"go", "python"}})
	}
	quoted := make([]string, len(repos))
	for i, r := range repos {
		quoted[i] = fmt.Sprintf("%q", r)
	}
	// The guide's organization and repositories become the emulator's.
	ours := func(hcl string) string {
		hcl = strings.ReplaceAll(hcl, "my-org", owner)
		return regexp.MustCompile(`repositories = \[[^\]]*\]`).ReplaceAllString(hcl, "repositories = ["+strings.Join(quoted, ", ")+"]")
	}
	w := newWorkspace(t, baseURL, map[string]string{"main.tf": providerBlock})
	step := func(name string, parts ...string) string {
		t.Helper()
		w.writeFiles(map[string]string{"main.tf": ours(providerBlock + strings.Join(parts, "\n"))})
		out := w.mustRun(0, "apply", "-auto-approve", "-parallelism=20")
		everyRepositoryCovered(t, emu, name, repos)
		return out
	}

	step("per-repository resources", start)
	step("1. the configuration, unenforced", start, configuration)
	configID := onlyConfiguration(t, emu)
	step("2. attached", start, configuration, attachment)
	for _, r := range repos {
		if id, status, ok := emu.RepositoryConfiguration(owner, r); !ok || id != configID || status != "attached" {
			t.Errorf("after step 2 %s has configuration %d %q, want %d attached", r, id, status, configID)
		}
	}
	step("3. checked", start, configuration, attachment, check)
	notYet, err := w.Command("output", "-no-color", "-json", "not_yet_attached").Output()
	var pending []string
	if err == nil {
		err = json.Unmarshal(notYet, &pending)
	}
	if err != nil || len(pending) != 0 {
		t.Errorf("the guide's check lists %v (%v: %s), want none", pending, err, notYet)
	}

	// The per-repository resources leave the state, payments-api moved to one of its own: the
	// plan forgets the rest and destroys nothing.
	// The resource blocks go; the list of repositories stays for the check.
	locals := regexp.MustCompile(`(?s)locals \{.*?\n\}\n`).FindString(start)
	final := []string{configuration, attachment, check, removed, beyond, locals}
	w.writeFiles(map[string]string{"main.tf": ours(providerBlock + strings.Join(final, "\n"))})
	out := w.mustRun(0, "plan")
	// One "# codescanning_default_setup.this[...] will ..." per forgotten instance (Terraform
	// says "no longer be managed", OpenTofu "removed from the state"); the moved one "has moved".
	forgotten := len(regexp.MustCompile(`# codescanning_default_setup\.this\["[^"]+"\] will `).FindAllString(out, -1))
	if forgotten != len(repos)-1 || !strings.Contains(out, "0 to destroy") ||
		!strings.Contains(out, `codescanning_default_setup.this["payments-api"] has moved to codescanning_default_setup.beyond_configuration["payments-api"]`) {
		t.Errorf("the plan should forget %d resources, move payments-api and destroy nothing (forgets %d):\n%s", len(repos)-1, forgotten, out)
	}
	out = step("3. removed", final...)
	if !strings.Contains(out, "0 added, 0 changed, 0 destroyed") {
		t.Errorf("removing the per-repository resources changed something:\n%s", out)
	}
	state := w.mustRun(0, "state", "list")
	if strings.Contains(state, "codescanning_default_setup.this") || !strings.Contains(state, `codescanning_default_setup.beyond_configuration["payments-api"]`) {
		t.Errorf("the state should hold only payments-api's default setup:\n%s", state)
	}
	w.mustRun(0, "plan", "-detailed-exitcode")

	// 4. New repositories: the one line the guide adds to the configuration.
	final[0] = strings.Replace(configuration, "\n}", "\n  "+newRepos+"\n}", 1)
	step("4. the default for new repositories", final...)
	emu.AddRepository(emulator.Repository{Owner: owner, Name: "created-later", AdvancedSecurity: true, Languages: []string{"go"}})
	everyRepositoryCovered(t, emu, "4. a repository created", append(repos, "created-later"))
	if id, _, ok := emu.RepositoryConfiguration(owner, "created-later"); !ok || id != configID {
		t.Errorf("a repository created after step 4 has configuration %d (%v), want %d", id, ok, configID)
	}
	w.mustRun(0, "plan", "-detailed-exitcode")

	// Not only after each step: no request of the whole move turned default setup off or
	// detached a repository.
	for _, r := range emu.Requests() {
		offSetup := r.Method == http.MethodPatch && strings.HasSuffix(r.Path, "/code-scanning/default-setup") && strings.Contains(string(r.Body), "not-configured")
		if offSetup || (r.Method == http.MethodDelete && strings.Contains(r.Path, "/code-security/")) {
			t.Errorf("the move sent %s %s %s", r.Method, r.Path, r.Body)
		}
	}
}

// everyRepositoryCovered fails the test unless every repository has default setup on, with
// payments-api's own extended suite.
func everyRepositoryCovered(t *testing.T, emu *emulator.Emulator, step string, repos []string) {
	t.Helper()
	for _, r := range repos {
		ds, ok := emu.DefaultSetup(owner, r)
		wantSuite := "default"
		if r == "payments-api" {
			wantSuite = "extended"
		}
		if !ok || ds.State != "configured" || ds.QuerySuite != wantSuite {
			t.Errorf("after %s, %s has default setup %s with %s, want configured with %s", step, r, ds.State, ds.QuerySuite, wantSuite)
		}
	}
}

// guideBlocks are the ```terraform blocks of a guide template, in order.
func guideBlocks(t *testing.T, name string) []string {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	guide, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "..", "templates", "guides", name))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile("(?s)```terraform\n(.*?)```").FindAllSubmatch(guide, -1) {
		out = append(out, string(m[1]))
	}
	return out
}

// anyBlockHasAll reports whether one of blocks contains every one of subs.
func anyBlockHasAll(blocks []string, subs ...string) bool {
	for _, b := range blocks {
		all := true
		for _, s := range subs {
			all = all && strings.Contains(b, s)
		}
		if all {
			return true
		}
	}
	return false
}
