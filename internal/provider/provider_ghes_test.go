package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// ghesTarget is an emulator playing GitHub Enterprise Server of release version, served under
// /api/v3 as GHES serves its API, so that base_url shows the provider it is GHES.
func ghesTarget(t *testing.T, version string) testTarget {
	t.Helper()
	cfg := defaultEmulatorConfig()
	cfg.EnterpriseVersion, cfg.PathPrefix = version, "/api/v3"
	return emulatorTarget(t, cfg)
}

// An api_version GHES does not serve fails terraform plan, before any request, with the reason;
// GHES's own version works. Both base_url forms of GHES are recognised.
func TestAPIVersionGHESDoesNotServeFailsThePlan(t *testing.T) {
	t.Parallel()
	tt := ghesTarget(t, "3.19.1")
	emu := tt.needsEmulator(t)
	host := strings.TrimSuffix(tt.baseURL, "/api/v3/")
	for _, baseURL := range []string{tt.baseURL, host} {
		tt.run(t, resource.TestCase{Steps: []resource.TestStep{{
			Config:   providerWith(baseURL, `  token = "test-token"`+"\n"+`  api_version = "2026-03-10"`) + fmt.Sprintf(serviceSetup, ""),
			PlanOnly: true,
			ExpectError: regexp.MustCompile(`(?s)API version not served by GitHub Enterprise Server.*api_version = "2026-03-10".*` +
				errorPattern(`base_url `+tt.baseURL+` is GitHub Enterprise Server, which serves REST API version 2022-11-28 only`).String() +
				`.*` + errorPattern(`Remove api_version, or set it to "2022-11-28".`).String()),
		}}})
	}
	if got := emu.Requests(); len(got) != 0 {
		t.Fatalf("the refused plan sent %d requests, first %s %s", len(got), got[0].Method, got[0].Path)
	}
	tt.run(t, resource.TestCase{Steps: []resource.TestStep{{
		Config: providerWith(tt.baseURL, `  token = "test-token"`+"\n"+`  write_delay = "0s"`+"\n"+`  api_version = "2022-11-28"`) + fmt.Sprintf(serviceSetup, ""),
		ConfigStateChecks: []statecheck.StateCheck{checkEmulator(func() error {
			if ds, _ := emu.DefaultSetup(testOwner, "service"); ds.State != "configured" {
				return fmt.Errorf("with api_version 2022-11-28 GHES default setup is %q", ds.State)
			}
			return nil
		})},
	}}})
}

// No GHES release has the CodeQL database API: each data source fails naming the release and
// what to do, not with a 404 that blames the repository or the language.
func TestCodeQLDatabaseDataSourcesOnGHESNameTheRelease(t *testing.T) {
	t.Parallel()
	tt := ghesTarget(t, "3.19.1")
	emu := tt.needsEmulator(t)
	emu.AddCodeQLDatabase(testOwner, "service", emulator.CodeQLDatabase{Language: "go"})
	for _, config := range []string{
		`data "codescanning_codeql_databases" "test" { repository = "service" }`,
		`data "codescanning_codeql_database" "test" {` + "\n" + `  repository = "service"` + "\n" + `  language = "go"` + "\n}",
	} {
		tt.run(t, resource.TestCase{Steps: []resource.TestStep{{
			Config: tt.providerBlock() + config,
			ExpectError: regexp.MustCompile(`(?s)` + errorPattern(`GitHub Enterprise Server has no CodeQL database API, in any release. Remove the codescanning_codeql_database`).String() +
				`.*` + errorPattern(`of `+testOwner+`/service: GitHub Enterprise Server 3.19.1 has no CodeQL database API`).String()),
		}}})
	}
}

// GHES 3.17 has no dismissal requests and would dismiss the alert outright: the apply fails
// naming the release, and the alert is left open, untouched.
func TestDismissalRequestOnGHES317FailsNamingTheRelease(t *testing.T) {
	t.Parallel()
	tt := ghesTarget(t, "3.17.2")
	emu := tt.needsEmulator(t)
	number := openAlert(emu, "go/sql-injection", "internal/db/query.go")
	tt.run(t, resource.TestCase{Steps: []resource.TestStep{{
		Config: dismissalConfig(tt, number, `  reason = "false positive"`+"\n"+`  comment = "Sanitised upstream."`+"\n"+`  create_request = true`),
		ExpectError: regexp.MustCompile(`(?s)` + errorPattern(`it would ignore create_request and dismiss the alert outright, so nothing was sent. Set create_request = false`).String() +
			`.*` + errorPattern(`GitHub Enterprise Server 3.17.2 has no alert dismissal requests (create_request): GitHub Enterprise Server has it from 3.19`).String()),
	}}})
	if al, _ := emu.Alert(testOwner, "service", number); al.State != "open" || al.DismissedBy != nil {
		t.Fatalf("alert after the refused apply: state %s, dismissed by %v", al.State, al.DismissedBy)
	}
	for _, r := range emu.Requests() {
		if r.Method == "PATCH" {
			t.Fatalf("a PATCH was sent: %s %s", r.Path, r.Body)
		}
	}
}

func TestCheckAPIVersionForServer(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		apiVersion, baseURL string
		refused             bool
	}{
		{"2026-03-10", "https://github.example.com", true},
		{"2026-03-10", "https://github.example.com/api/v3/", true},
		{"2022-11-28", "https://github.example.com", false},
		{"", "https://github.example.com", false},
		{"2026-03-10", "", false}, // github.com
		{"2026-03-10", "https://octo.ghe.com", false},
		{"2026-03-10", "https://proxy.example.com/github/", false}, // the server's 400 says so instead
		{"2026-03-10", "not a url", false},                         // Configure reports base_url
	} {
		var diags diag.Diagnostics
		checkAPIVersionForServer(&diags, tt.apiVersion, tt.baseURL)
		if diags.HasError() != tt.refused {
			t.Errorf("api_version %q, base_url %q: %v; want refused=%v", tt.apiVersion, tt.baseURL, diags, tt.refused)
		}
	}
}

// Once GHES 3.17 has named its release in this plan (here to the data source the dismissal's
// alert number comes from, as in a for_each over codescanning_alerts), create_request = true
// fails the plan itself, on the attribute, and nothing is sent.
func TestDismissalRequestOnKnownGHES317FailsThePlan(t *testing.T) {
	t.Parallel()
	tt := ghesTarget(t, "3.17.2")
	emu := tt.needsEmulator(t)
	number := openAlert(emu, "go/sql-injection", "internal/db/query.go")
	config := tt.providerBlock() + fmt.Sprintf(`
data "codescanning_alert" "found" {
  repository   = %[1]q
  alert_number = %[2]d
}

resource "codescanning_alert_dismissal" "test" {
  repository     = %[1]q
  alert_number   = data.codescanning_alert.found.number
  reason         = "false positive"
  comment        = "Sanitised upstream."
  create_request = true
}
`, tt.repo, number)
	tt.run(t, resource.TestCase{Steps: []resource.TestStep{{
		Config:   config,
		PlanOnly: true,
		ExpectError: regexp.MustCompile(`(?s)Error running non-refresh plan.*Dismissal requests not available on this server.*create_request = true.*` +
			errorPattern(`GitHub Enterprise Server 3.17.2 has no alert dismissal requests (create_request)`).String()),
	}}})
	for _, r := range emu.Requests() {
		if r.Method == "PATCH" {
			t.Fatalf("a PATCH was sent: %s %s", r.Path, r.Body)
		}
	}
}
