package provider

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// documentedPermissions are the repository permissions the provider's documentation asks a
// GitHub App or fine-grained token for (docs/index.md), in the names GitHub's API uses.
func documentedPermissions() map[string]string {
	return map[string]string{"actions": "read", "administration": "write", "contents": "read", "security_events": "write"}
}

// permissionedTarget is an emulator whose test token is a fine-grained token holding perms,
// its user an owner of every organization.
func permissionedTarget(t *testing.T, perms map[string]string) testTarget {
	t.Helper()
	cfg := defaultEmulatorConfig()
	cfg.TokenPermissions = map[string]map[string]string{"test-token": perms}
	cfg.OrganizationRoles = map[string]string{"octocat": emulator.RoleOwner}
	return emulatorTarget(t, cfg)
}

// everyResourceConfig uses each resource and the data sources that read what they manage.
func everyResourceConfig(tt testTarget, alert int) string {
	return tt.providerBlock() + fmt.Sprintf(`
resource "codescanning_default_setup" "test" {
  repository = %[1]q
  languages  = ["go"]
}

resource "codescanning_alert_dismissal" "test" {
  repository   = %[1]q
  alert_number = %[2]d
  reason       = "false positive"
  comment      = "Sanitized upstream."
}

data "codescanning_alerts" "repository" {
  repository = %[1]q
  depends_on = [codescanning_alert_dismissal.test]
}

data "codescanning_alerts" "organization" {
  organization = %[3]q
  depends_on   = [codescanning_alert_dismissal.test]
}

data "codescanning_default_setup" "test" {
  repository = %[1]q
  depends_on = [codescanning_default_setup.test]
}

data "codescanning_analyses" "test" {
  repository = %[1]q
}

data "codescanning_codeql_databases" "test" {
  repository = %[1]q
}
`, tt.repo, alert, testOwner)
}

// A fine-grained token (or App) with exactly the documented permissions can create, change,
// import and destroy everything the provider manages, and read every data source used with them.
func TestTheDocumentedPermissionsAreEnough(t *testing.T) {
	t.Parallel()
	tt := permissionedTarget(t, documentedPermissions())
	emu := tt.needsEmulator(t)
	alert := openAlert(emu, "go/sql-injection", "internal/db/query.go")
	emu.SeedAnalyses(testOwner, "service", 5)
	emu.AddCodeQLDatabase(testOwner, "service", emulator.CodeQLDatabase{Language: "go"})
	tt.run(t, resource.TestCase{
		CheckDestroy: func(s *terraform.State) error { return emulatorHas(emu, tt.repo, "not-configured")(s) },
		Steps: []resource.TestStep{{
			Config: everyResourceConfig(tt, alert),
			ConfigStateChecks: []statecheck.StateCheck{
				expectAttr("run_id", knownvalue.NotNull()),
				statecheck.ExpectKnownValue("data.codescanning_alerts.organization", tfjsonpath.New("alerts"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.codescanning_default_setup.test", tfjsonpath.New("state"), knownvalue.StringExact("configured")),
				statecheck.ExpectKnownValue("data.codescanning_analyses.test", tfjsonpath.New("analyses"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue("data.codescanning_codeql_databases.test", tfjsonpath.New("databases"), knownvalue.ListSizeExact(1)),
			},
		}, {
			ResourceName: defaultSetupAddress, ImportState: true, ImportStateId: tt.repo, ImportStateVerify: true,
			ImportStateVerifyIdentifierAttribute: "id", ImportStateVerifyIgnore: []string{"run_id", "run_url", "run_html_url"},
		}},
	})
}

// Without Actions: read GitHub refuses to show the run a change starts; the apply waits for the
// configuration instead, and create, update and destroy all succeed.
func TestDefaultSetupWithoutActionsReadWaitsForTheConfiguration(t *testing.T) {
	t.Parallel()
	perms := documentedPermissions()
	delete(perms, "actions")
	tt := permissionedTarget(t, perms)
	emu := tt.needsEmulator(t)
	tt.run(t, resource.TestCase{
		CheckDestroy: func(s *terraform.State) error { return emulatorHas(emu, tt.repo, "not-configured")(s) },
		Steps: []resource.TestStep{{
			Config: defaultSetupConfig(tt, tt.repo, `  languages = ["go"]`),
			Check:  emulatorHas(emu, tt.repo, "configured", "go"),
			ConfigStateChecks: []statecheck.StateCheck{
				expectAttr("languages", stringSet("go")), expectAttr("run_id", knownvalue.NotNull()),
			},
		}, {
			Config: defaultSetupConfig(tt, tt.repo, "  languages   = [\"go\", \"python\"]\n  query_suite = \"extended\""),
			Check:  emulatorHas(emu, tt.repo, "configured", "go", "python"),
			ConfigStateChecks: []statecheck.StateCheck{
				expectAttr("languages", stringSet("go", "python")), expectAttr("query_suite", knownvalue.StringExact("extended")),
			},
		}},
	})
}

// A token lacking any other documented permission fails where it is needed, and the error
// names the permission to add.
func TestEachMissingPermissionIsNamed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		perms  map[string]string
		roles  map[string]string
		config func(tt testTarget, alert int) string
		error  string
	}{
		{"default setup needs Administration write", map[string]string{"administration": "read"}, nil,
			func(tt testTarget, _ int) string { return defaultSetupConfig(tt, tt.repo, "") }, "Administration: write"},
		{"default setup needs Administration read", map[string]string{"security_events": "write"}, nil,
			func(tt testTarget, _ int) string {
				return tt.providerBlock() + fmt.Sprintf("data \"codescanning_default_setup\" \"test\" {\n  repository = %q\n}\n", tt.repo)
			}, "Administration: read"},
		{"alerts need Code scanning alerts read", map[string]string{"administration": "write"}, nil,
			func(tt testTarget, _ int) string {
				return tt.providerBlock() + fmt.Sprintf("data \"codescanning_alerts\" \"test\" {\n  repository = %q\n}\n", tt.repo)
			}, "Code scanning alerts: read"},
		{"a dismissal needs Code scanning alerts write", map[string]string{"security_events": "read"}, nil,
			func(tt testTarget, alert int) string {
				return dismissalConfig(tt, alert, `  reason = "false positive"`)
			}, "Code scanning alerts: write"},
		{"CodeQL databases need Contents read", map[string]string{"administration": "write", "security_events": "write"}, nil,
			func(tt testTarget, _ int) string {
				return tt.providerBlock() + fmt.Sprintf("data \"codescanning_codeql_databases\" \"test\" {\n  repository = %q\n}\n", tt.repo)
			}, "Contents: read"},
		{"analyses need Code scanning alerts read", map[string]string{"administration": "write", "contents": "read"}, nil,
			func(tt testTarget, _ int) string {
				return tt.providerBlock() + fmt.Sprintf("data \"codescanning_analyses\" \"test\" {\n  repository = %q\n}\n", tt.repo)
			}, "Code scanning alerts: read"},
		{"the organization list needs an owner or security manager", documentedPermissions(), map[string]string{"octocat": emulator.RoleMember},
			func(tt testTarget, _ int) string {
				return tt.providerBlock() + fmt.Sprintf("data \"codescanning_alerts\" \"test\" {\n  organization = %q\n}\n", testOwner)
			}, "owner or security manager"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := defaultEmulatorConfig()
			cfg.TokenPermissions = map[string]map[string]string{"test-token": tc.perms}
			cfg.OrganizationRoles = tc.roles
			tt := emulatorTarget(t, cfg)
			alert := openAlert(tt.needsEmulator(t), "go/sql-injection", "internal/db/query.go")
			tt.run(t, resource.TestCase{Steps: []resource.TestStep{{
				Config: tc.config(tt, alert), ExpectError: errorPattern(tc.error),
			}}})
		})
	}
}

// The same for a GitHub App whose installation lacks Actions: read, which GitHub refuses as
// "Resource not accessible by integration".
func TestDefaultSetupWithAnAppWithoutActionsReadWaitsForTheConfiguration(t *testing.T) {
	t.Parallel()
	cfg := appEmulatorConfig(time.Hour)
	cfg.App.Permissions = map[string]string{"administration": "write", "security_events": "write"}
	tt := emulatorTarget(t, cfg)
	emu := tt.needsEmulator(t)
	_, keyPEM := appKeyPEM()
	keyFile := filepath.Join(t.TempDir(), "app.pem")
	if err := os.WriteFile(keyFile, []byte(keyPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	provider := providerWith(tt.baseURL, fmt.Sprintf("  write_delay = \"0s\"\n  app_auth {\n    id               = \"42\"\n    installation_id  = 7\n    private_key_file = %q\n  }", keyFile))
	tt.run(t, resource.TestCase{
		CheckDestroy: func(s *terraform.State) error { return emulatorHas(emu, tt.repo, "not-configured")(s) },
		Steps: []resource.TestStep{{
			Config: provider + fmt.Sprintf(serviceSetup, ""),
			Check:  emulatorHas(emu, tt.repo, "configured", "go"),
		}, {
			Config:            provider + fmt.Sprintf(serviceSetup, `  query_suite = "extended"`),
			ConfigStateChecks: []statecheck.StateCheck{expectAttr("query_suite", knownvalue.StringExact("extended"))},
		}},
	})
}

// Without Actions: read, a run that fails (python cannot be analysed, so GitHub applies the rest
// with go alone) is told apart from one still running by what GitHub then shows: the apply fails saying the run
// most likely did not succeed, at once rather than at its timeout (20 s here, 30 minutes by
// default), and the state records what GitHub holds.
func TestDefaultSetupWithoutActionsReadReportsARunThatMostLikelyFailed(t *testing.T) {
	t.Parallel()
	perms := documentedPermissions()
	delete(perms, "actions")
	cfg := defaultEmulatorConfig()
	cfg.TokenPermissions = map[string]map[string]string{"test-token": perms}
	cfg.RunQueued = 30 * time.Minute
	tt := emulatorTarget(t, cfg)
	emu := tt.needsEmulator(t)
	// After each change, the first poll of the default setup sees its run under way and the run
	// has ended by the second: without real waiting, and whatever the machine's load.
	var sinceChange atomic.Int32
	emu.Intercept(func(_ http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, "/code-scanning/default-setup") {
			return false
		}
		if r.Method == http.MethodPatch {
			sinceChange.Store(0)
		} else if sinceChange.Add(1) == 2 {
			emu.Advance(time.Hour)
		}
		return false
	})
	const repo = testOwner + "/flaky-python"
	// An update, not a create, fails here: a create that fails is another question (whether
	// Terraform taints what it recorded).
	tt.run(t, resource.TestCase{Steps: []resource.TestStep{{
		Config: defaultSetupConfig(tt, repo, `  languages = ["go"]`),
	}, {
		Config:      defaultSetupConfig(tt, repo, "  languages   = [\"go\", \"python\"]\n  query_suite = \"extended\"\n  timeouts {\n    update = \"20s\"\n  }"),
		ExpectError: errorPattern("most likely did not succeed"),
	}, {
		// The failed apply recorded what GitHub holds (go alone, extended), so asking for that
		// is no change.
		Config: defaultSetupConfig(tt, repo, "  languages   = [\"go\"]\n  query_suite = \"extended\"\n  timeouts {\n    update = \"20s\"\n  }"),
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			priorLanguagesAre(emu, repo, "go"), plancheck.ExpectEmptyPlan(),
		}},
	}}})
}

// priorLanguagesAre checks the languages a plan starts from, and that GitHub holds the same.
type priorLanguages struct {
	emu       *emulator.Emulator
	repo      string
	languages []string
}

func priorLanguagesAre(emu *emulator.Emulator, repo string, languages ...string) plancheck.PlanCheck {
	return priorLanguages{emu, repo, languages}
}

func (c priorLanguages) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != defaultSetupAddress {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		got := fmt.Sprint(before["languages"])
		if want := fmt.Sprint(toAny(c.languages)); got != want {
			resp.Error = fmt.Errorf("state holds languages %s, want %s", got, want)
			return
		}
	}
	owner, name, _ := strings.Cut(c.repo, "/")
	if ds, _ := c.emu.DefaultSetup(owner, name); strings.Join(ds.Languages, ",") != strings.Join(c.languages, ",") {
		resp.Error = fmt.Errorf("GitHub holds languages %v, want %v", ds.Languages, c.languages)
	}
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
