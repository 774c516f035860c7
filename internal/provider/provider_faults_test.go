package provider

import (
	"fmt"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/netsim"
)

// fleetConfig manages default setup on repositories fleet-000 to fleet-(n-1) in one
// configuration, as an organization-wide module does. (count, not for_each: the testing
// framework's post-test destroy cannot read string-keyed instances.)
func fleetConfig(baseURL, settings string, n int) string {
	return fmt.Sprintf(`provider "codescanning" {
  base_url = %q
  token    = "test-token"
  owner    = %q
%s
}

resource "codescanning_default_setup" "fleet" {
  count = %d

  repository  = format("fleet-%%03d", count.index)
  languages   = ["go"]
  query_suite = "extended"
}
`, baseURL, testOwner, settings, n)
}

func addFleet(emu *emulator.Emulator, n int) {
	for i := range n {
		emu.AddRepository(emulator.Repository{Owner: testOwner, Name: fmt.Sprintf("fleet-%03d", i), AdvancedSecurity: true, Languages: []string{"go", "python"}})
	}
}

// fleetConfigured checks, on the emulator, that every repository of the fleet has the
// configuration asked for.
func fleetConfigured(emu *emulator.Emulator, n int) statecheck.StateCheck {
	return checkEmulator(func() error {
		for i := range n {
			name := fmt.Sprintf("fleet-%03d", i)
			ds, ok := emu.DefaultSetup(testOwner, name)
			if !ok || ds.State != "configured" || !slices.Equal(ds.Languages, []string{"go"}) || ds.QuerySuite != "extended" {
				return fmt.Errorf("%s holds %+v", name, ds)
			}
		}
		return nil
	})
}

// An organization-wide apply meets every fault GitHub and the network produce, one request in
// ten: server errors, dropped connections (before and after GitHub carried the request out),
// slow answers, secondary rate limits with and without retry-after, and primary exhaustion. It
// still converges: no error, no inconsistent result, and a second plan with nothing to do. The
// rate limits' waits pass on a fake clock the emulator shares.
func TestDefaultSetupAtScaleConvergesThroughInjectedFaults(t *testing.T) {
	t.Parallel()
	const n = 100
	tt, fake := fakeClockTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	addFleet(emu, n)
	emu.Network().SetFaults(netsim.Faults{
		Probability: 0.1,
		// Seeded so that every kind is drawn: with seed 4 the first 164 draws hold all twelve,
		// and the apply makes over a thousand requests. Unseeded, one kind in twelve went
		// undrawn now and then, failing the coverage check below.
		Seed:         4,
		SlowAnswer:   20 * time.Millisecond,
		RetryAfter:   time.Second,
		PrimaryReset: time.Second,
	})
	config := fleetConfig(tt.baseURL, fmt.Sprintf("  write_delay = \"2ms\"\n  cache_dir   = %q\n  points_per_minute = 0 # the injected limits stand in for GitHub's", t.TempDir()), n)
	start := time.Now()
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{fleetConfigured(emu, n)},
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				// The destroy that ends the test turns default setup off through the same
				// PATCH the apply used; it runs without faults, to keep the test short.
				PreConfig: func() { emu.Network().SetFaults(netsim.Faults{}) },
				Config:    config,
				PlanOnly:  true,
			},
		},
	})
	requests := emu.Requests()
	faults, total := emu.Network().FaultCounts(), 0
	for _, c := range faults {
		total += c
	}
	t.Logf("%d resources in %v: %d requests, %d faults injected %v, %d answered 304 Not Modified; waits that passed at once: %v",
		n, time.Since(start).Round(time.Millisecond), len(requests), total, faults, emu.Network().NotModifiedCount(), fake.Moved().Round(time.Millisecond))
	for _, f := range netsim.AllFaults {
		if faults[f] == 0 {
			t.Errorf("no request met fault %q; the test must cover every kind", f)
		}
	}
	if emu.Network().NotModifiedCount() == 0 {
		t.Error("no GET was answered 304: the conditional-request cache did nothing")
	}
	// Retries and polls sleep 20ms at most; only a retry-after or a reset (1 s) sleeps longer.
	if longest := fake.Longest(); longest < 900*time.Millisecond {
		t.Errorf("the longest wait was %v; want the 1s retry-after and reset waited out", longest)
	}
}

// GitHub's primary limit runs out in the middle of an apply: the provider waits for the reset
// and completes, rather than failing the resources still to come. The reset is a minute of the
// fake clock, not more: an answer refused before another request's wait moved the clock is read
// after it, and its wait, measured from its Date, adds that move again (DESIGN.md, Time in
// tests), so ten requests in flight may take the clock ten resets on, inside the 30-minute
// create timeout.
func TestPrimaryRateLimitExhaustedMidApplyIsWaitedOut(t *testing.T) {
	t.Parallel()
	const n = 10
	tt, fake := fakeClockTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	addFleet(emu, n)
	var patches atomic.Int32
	var resetAt atomic.Int64 // Unix nanoseconds
	emu.Intercept(func(_ http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPatch && patches.Add(1) == n/2 {
			resetAt.Store(emu.Network().ExhaustRateLimit("test-token", time.Minute).UnixNano())
		}
		return false
	})
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:            fleetConfig(tt.baseURL, `  write_delay = "0s"`, n),
			ConfigStateChecks: []statecheck.StateCheck{fleetConfigured(emu, n)},
			Check: func(*terraform.State) error {
				if reset := time.Unix(0, resetAt.Load()); resetAt.Load() == 0 || fake.Now().Before(reset) {
					return fmt.Errorf("the apply ended at %v by the clock, before the limit's reset at %v", fake.Now(), reset)
				}
				return nil
			},
		}},
	})
}

// When the limit resets after the operation's deadline, waiting cannot help: the apply fails at
// once, and says when GitHub will answer again.
func TestPrimaryRateLimitPastTheDeadlineFailsWithTheResetTime(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	reset := emu.Network().ExhaustRateLimit("test-token", time.Hour)
	start := time.Now()
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: defaultSetupConfig(tt, tt.repo, `  languages = ["go"]
  timeouts {
    create = "10m"
  }`),
			ExpectError: errorPattern("primary rate limit is used up until " + reset.UTC().Format(time.RFC3339) + ", after this operation's deadline"),
		}},
	})
	if took := time.Since(start); took > time.Minute {
		t.Fatalf("the failing apply took %v; want it to fail at once", took)
	}
}
