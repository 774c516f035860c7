package provider

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/netsim"
)

// A data source's read ends at its timeouts.read, even while GitHub (or a proxy) holds a
// request without answering; without it, the read waited for the silent server.
func TestDataSourceReadTimeoutStopsASilentServer(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	read := "data.codescanning_default_setup.service"
	config := tt.providerBlock() + `
data "codescanning_default_setup" "service" {
  repository = "service"
  timeouts {
    read = "300ms"
  }
}
`
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(read, tfjsonpath.New("state"), knownvalue.StringExact("not-configured")),
					statecheck.ExpectKnownValue(read, tfjsonpath.New("timeouts").AtMapKey("read"), knownvalue.StringExact("300ms")),
				},
			},
			{
				PreConfig: func() {
					emu.Network().SetFaults(netsim.Faults{Probability: 1, Kinds: []netsim.Fault{netsim.FaultSilent}, Match: func(r *http.Request) bool {
						return r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/code-scanning/default-setup")
					}})
				},
				Config:      config,
				ExpectError: diagnosticPattern("Cannot read code scanning default setup of octo-org/service", "ran out of time"),
			},
		},
	})
}
