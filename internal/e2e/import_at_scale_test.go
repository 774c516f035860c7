package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/tfcli"
)

// The import guide's recipe: import blocks generated from a list of repositories and alerts, and
// `terraform plan -generate-config-out` writing configuration for what GitHub already has. That
// configuration is valid, the import applies, and the plan after it is clean.
func TestImportBlocksWithGeneratedConfiguration(t *testing.T) {
	t.Parallel()
	emu, baseURL := newEmulator(t)
	var repoNames []string
	for i := range 20 {
		name := fmt.Sprintf("svc-%02d", i)
		repoNames = append(repoNames, fmt.Sprintf("%q", name))
		emu.AddRepository(emulator.Repository{Owner: owner, Name: name, AdvancedSecurity: true, Languages: []string{"go", "python"}})
		ds := emulator.DefaultSetup{State: "configured", Languages: []string{"go"}, QuerySuite: "default", ThreatModel: "remote"}
		if i%3 == 0 {
			ds.Languages, ds.QuerySuite, ds.ThreatModel = []string{"go", "python"}, "extended", "remote_and_local"
		}
		emu.SetDefaultSetup(owner, name, ds)
	}
	var dismissals []string
	for i := range 5 {
		n := emu.AddAlert(owner, "svc-00", emulator.Alert{
			State: "dismissed", DismissedReason: ptr("won't fix"), DismissedComment: ptr(fmt.Sprintf("Accepted risk %d.", i)), DismissedBy: ptr("octocat"),
			Rule: emulator.AlertRule{ID: "go/path-injection", Name: "Path injection", Severity: "error", Description: "Path injection"},
			Tool: emulator.AlertTool{Name: "CodeQL", Version: "2.19.0"},
			Instances: []emulator.AlertInstance{{Ref: "refs/heads/main", Path: fmt.Sprintf("cmd/tool%d/main.go", i), StartLine: 1, EndLine: 1, StartColumn: 1, EndColumn: 5,
				Message: "Path from user input.", CommitSHA: strings.Repeat("c", 40), Category: "/language:go"}},
			CreatedAt: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC),
		})
		dismissals = append(dismissals, fmt.Sprintf("%q", fmt.Sprintf("%s/svc-00/%d", owner, n)))
	}

	t.Run("for_each import blocks adopt what GitHub has", func(t *testing.T) {
		requireCLIFeature(t, tfcli.ImportForEach)
		t.Parallel()
		// Settings left to GitHub are imported as they are, with no diff: one import block and
		// one resource block cover every repository.
		w := newWorkspace(t, baseURL, map[string]string{"main.tf": providerBlock + fmt.Sprintf(`
locals {
  repositories = [%s]
}

import {
  for_each = toset(local.repositories)
  to       = codescanning_default_setup.this[each.key]
  id       = "%s/${each.key}"
}

resource "codescanning_default_setup" "this" {
  for_each   = toset(local.repositories)
  repository = each.key
}
`, strings.Join(repoNames, ", "), owner)})
		out := w.mustRun(0, "plan")
		if !strings.Contains(out, "Plan: 20 to import, 0 to add, 0 to change, 0 to destroy.") {
			t.Fatalf("plan does not import all 20 and change nothing:\n%s", out)
		}
		w.mustRun(0, "apply", "-auto-approve")
		w.mustRun(0, "plan", "-detailed-exitcode")
	})

	t.Run("generated configuration pins what GitHub has", func(t *testing.T) {
		requireCLIFeature(t, tfcli.ImportBlocks)
		t.Parallel()
		// -generate-config-out needs one import block per object (Terraform cannot generate
		// configuration for a for_each import), so the guide writes them with a loop.
		var imports strings.Builder
		for i, name := range repoNames[:6] {
			fmt.Fprintf(&imports, "import {\n  to = codescanning_default_setup.svc_%d\n  id = \"%s/%s\"\n}\n\n", i, owner, strings.Trim(name, `"`))
		}
		for i, id := range dismissals {
			fmt.Fprintf(&imports, "import {\n  to = codescanning_alert_dismissal.d_%d\n  id = %s\n}\n\n", i, id)
		}
		w := newWorkspace(t, baseURL, map[string]string{"imports.tf": providerBlock + imports.String()})
		w.mustRun(0, "plan", "-generate-config-out=generated.tf")
		generated, err := os.ReadFile(filepath.Join(w.Dir, "generated.tf"))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`query_suite  = "extended"`, `threat_model = "remote_and_local"`, `reason         = "won't fix"`, `comment        = "Accepted risk 3."`} {
			if !strings.Contains(string(generated), want) {
				t.Errorf("generated.tf lacks %s:\n%s", want, generated)
			}
		}
		// Pinning assignees = [] would undo the next assignment made in the UI.
		if regexp.MustCompile(`assignees\s*=\s*\[\]`).Match(generated) {
			t.Errorf("generated.tf pins assignees = []:\n%s", generated)
		}
		out := w.mustRun(0, "apply", "-auto-approve")
		if !strings.Contains(out, "11 imported, 0 added, 0 changed, 0 destroyed") {
			t.Fatalf("apply did not import all 11 objects without changes:\n%s", out)
		}
		w.mustRun(0, "plan", "-detailed-exitcode")
	})
}

func ptr[T any](v T) *T { return &v }
