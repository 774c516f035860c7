package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

func TestCodeQLDatabaseDataSourcesListAndReadByLanguage(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	built := time.Date(2025, 2, 1, 8, 30, 0, 0, time.UTC)
	commit := strings.Repeat("ab12", 10)
	emu.AddCodeQLDatabase(testOwner, "service", emulator.CodeQLDatabase{Language: "python", Uploader: "hubot", Size: 1234, CreatedAt: built, CommitOID: &commit})
	emu.AddCodeQLDatabase(testOwner, "service", emulator.CodeQLDatabase{Language: "go"})
	python := "data.codescanning_codeql_database.python"
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: tt.providerBlock() + fmt.Sprintf(`
data "codescanning_codeql_databases" "all" {
  repository = %q
}
data "codescanning_codeql_databases" "none" {
  repository = "flaky-python"
}
data "codescanning_codeql_database" "python" {
  repository = "service"
  language   = "python"
}
`, tt.repo),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.codescanning_codeql_databases.all", tfjsonpath.New("id"), knownvalue.StringExact(tt.repo)),
					statecheck.ExpectKnownValue("data.codescanning_codeql_databases.all", tfjsonpath.New("databases"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"language": knownvalue.StringExact("go"), "uploader": knownvalue.StringExact("octocat")}),
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"language": knownvalue.StringExact("python"), "size": knownvalue.Int64Exact(1234)}),
					})),
					statecheck.ExpectKnownValue("data.codescanning_codeql_databases.none", tfjsonpath.New("databases"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue(python, tfjsonpath.New("id"), knownvalue.StringExact(tt.repo+"/python")),
					statecheck.ExpectKnownValue(python, tfjsonpath.New("language"), knownvalue.StringExact("python")),
					statecheck.ExpectKnownValue(python, tfjsonpath.New("uploader"), knownvalue.StringExact("hubot")),
					statecheck.ExpectKnownValue(python, tfjsonpath.New("size"), knownvalue.Int64Exact(1234)),
					statecheck.ExpectKnownValue(python, tfjsonpath.New("created_at"), knownvalue.StringExact("2025-02-01T08:30:00Z")),
					statecheck.ExpectKnownValue(python, tfjsonpath.New("commit_oid"), knownvalue.StringExact(commit)),
					statecheck.ExpectKnownValue(python, tfjsonpath.New("content_type"), knownvalue.StringExact("application/zip")),
					statecheck.ExpectKnownValue(python, tfjsonpath.New("url"), knownvalue.StringRegexp(regexpMust(`/repos/octo-org/service/code-scanning/codeql/databases/python$`))),
				},
			},
			{
				Config: tt.providerBlock() + fmt.Sprintf(`
data "codescanning_codeql_database" "ruby" {
  repository = %q
  language   = "ruby"
}
`, tt.repo),
				ExpectError: diagnosticPattern("Cannot read the ruby CodeQL database of octo-org/service",
					"octo-org/service has no ruby CodeQL database. It has databases for: go, python. Set language to one of them."),
			},
			{
				Config: tt.providerBlock() + `
data "codescanning_codeql_database" "go" {
  repository = "flaky-python"
  language   = "go"
}
`,
				ExpectError: diagnosticPattern("Cannot read the go CodeQL database of octo-org/flaky-python", "octo-org/flaky-python has no CodeQL databases"),
			},
			{
				Config: tt.providerBlock() + `
data "codescanning_codeql_database" "go" {
  repository = "missing"
  language   = "go"
}
`,
				ExpectError: diagnosticPattern("Cannot read the go CodeQL database of octo-org/missing", "GitHub has no go CodeQL database for octo-org/missing. If the repository is what is missing: Check that the repository exists"),
			},
			{
				Config: tt.providerBlock() + `
data "codescanning_codeql_databases" "locked" {
  repository = "no-advanced-security"
}
`,
				ExpectError: diagnosticPattern("Cannot list CodeQL databases of octo-org/no-advanced-security", "Enable GitHub Advanced Security"),
			},
		},
	})
}
