package provider

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// A base_url of http:// to another machine fails the plan, before any request, unless
// insecure_http says the network is trusted; then it works.
func TestPlainHTTPBaseURLNeedsInsecureHTTP(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	// github.internal is the emulator, reached over plain HTTP as a proxy on a private network would be.
	addr := strings.Split(strings.TrimPrefix(tt.baseURL, "http://"), "/")[0]
	transport := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	tt = withOptions(tt, WithHTTPTransport(transport))
	remote := "http://github.internal/api-v3/"
	tt.run(t, resource.TestCase{Steps: []resource.TestStep{
		{
			Config:      providerWith(remote, `  token = "test-token"`) + fmt.Sprintf(serviceSetup, ""),
			PlanOnly:    true,
			ExpectError: errorPattern("base_url would send the token unencrypted"),
		},
		{
			PreConfig: func() {
				if n := len(emu.Requests()); n != 0 {
					t.Fatalf("%d requests were sent to the plain-HTTP host before the plan failed", n)
				}
			},
			Config: providerWith(remote, `  token = "test-token"`+"\n"+`  insecure_http = true`) + fmt.Sprintf(serviceSetup, ""),
			ConfigStateChecks: []statecheck.StateCheck{checkEmulator(func() error {
				if len(emu.Requests()) == 0 {
					return fmt.Errorf("no request reached github.internal")
				}
				return nil
			})},
		},
	}})
}
