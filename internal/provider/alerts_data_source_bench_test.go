package provider

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/emulatortest"
	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// BenchmarkAlertsDataSource10000 reads 10,000 alerts the way codescanning_alerts does: every page
// from the emulator, each alert encoded for terraform as its page arrives (alertsEncoder). It
// reports the requests each read makes and the peak heap while it runs (make bench prints both).
// BenchmarkReadAlertsDataSource10000 adds the framework's part of the call.
func BenchmarkAlertsDataSource10000(b *testing.B) {
	ctx := context.Background()
	emu, baseURL := emulatortest.NewServer(b, emulator.Config{})
	emu.AddRepository(emulator.Repository{Owner: testOwner, Name: "monorepo", AdvancedSecurity: true, Languages: []string{"go"}})
	emu.SeedAlerts(testOwner, "monorepo", 10000, 1)
	client, err := githubclient.New(githubclient.Config{BaseURL: baseURL, Token: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	repo := githubclient.Repository{Owner: testOwner, Name: "monorepo"}

	var peak atomic.Uint64
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Add(1)
	go func() {
		defer sampler.Done()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()

	emu.ResetRequests()
	alertsRead := 0
	b.ResetTimer()
	for b.Loop() {
		enc := newAlertsEncoder()
		if _, err := client.EachRepositoryAlert(ctx, repo, githubclient.AlertFilter{}, enc.add); err != nil {
			b.Fatal(err)
		}
		if _, _, err := enc.list(); err != nil {
			b.Fatal(err)
		}
		alertsRead = enc.n
	}
	b.StopTimer()
	close(stop)
	sampler.Wait()
	if alertsRead < 9000 {
		b.Fatalf("read %d alerts; the seed should put most of 10,000 on the default branch", alertsRead)
	}
	b.ReportMetric(float64(len(emu.Requests()))/float64(b.N), "requests/op")
	b.ReportMetric(float64(alertsRead), "alerts/op")
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
}
