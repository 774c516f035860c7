package provider

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/emulatortest"
	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// BenchmarkPolicyViewOfAnOrganization20000 lists what an organization-wide dismissal policy
// reads in a refresh or a plan: the open and the dismissed alerts of 200 repositories holding
// 20,000 in all. It reports the heap the view holds once listed (view-MiB: what a provider keeps
// while the plan uses it), what the client keeps after it (client-MiB: the conditional-request
// cache's entries, in memory for the process's life) and the pages read.
func BenchmarkPolicyViewOfAnOrganization20000(b *testing.B) {
	ctx := context.Background()
	emu, baseURL := emulatortest.NewServer(b, emulator.Config{RateLimit: 1_000_000})
	for i := range 200 {
		name := fmt.Sprintf("repo-%03d", i)
		emu.AddRepository(emulator.Repository{Owner: testOwner, Name: name, AdvancedSecurity: true, Languages: []string{"go"}})
		emu.SeedAlerts(testOwner, name, 100, int64(i))
	}
	client, err := githubclient.New(githubclient.Config{BaseURL: baseURL, Token: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	scope := policyScope{org: testOwner}
	match := policyMatch{paths: []string{"test/**"}}
	var viewHeld, clientHeld uint64
	listed := 0
	emu.ResetRequests()
	b.ResetTimer()
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		view, err := scope.view(ctx, client, match, true)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		listed = len(view.open) + len(view.dismissed)
		runtime.KeepAlive(view)
		view = policyView{}
		var dropped runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&dropped)
		viewHeld = max(viewHeld, after.HeapAlloc-min(after.HeapAlloc, dropped.HeapAlloc))
		clientHeld = max(clientHeld, dropped.HeapAlloc-min(dropped.HeapAlloc, before.HeapAlloc))
	}
	b.StopTimer()
	if listed < 10000 {
		b.Fatalf("the view lists %d alerts; the seed should leave most of 20,000 open or dismissed", listed)
	}
	b.ReportMetric(float64(len(emu.Requests()))/float64(b.N), "requests/op")
	b.ReportMetric(float64(listed), "alerts/op")
	b.ReportMetric(float64(viewHeld)/(1<<20), "view-MiB")
	b.ReportMetric(float64(clientHeld)/(1<<20), "client-MiB")
}
