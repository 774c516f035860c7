package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
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
