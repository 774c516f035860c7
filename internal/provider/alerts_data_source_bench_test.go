package provider

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/emulatortest"
	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// BenchmarkAlertsDataSource10000 reads 10,000 alerts the way codescanning_alerts does: every page
// from the emulator, each alert into the model, the model into Terraform state. It reports the
// requests each read makes and the peak heap while it runs (make bench prints both).
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
	var schemaResp datasource.SchemaResponse
	(&alertsDataSource{}).Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
	stateType := schemaResp.Schema.Type().TerraformType(ctx)

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
		list, err := client.ListRepositoryAlerts(ctx, repo, githubclient.AlertFilter{})
		alerts := list.Alerts
		if err != nil {
			b.Fatal(err)
		}
		elems := make([]attr.Value, len(alerts))
		for i, a := range alerts {
			elems[i] = alertObject(a)
		}
		model := alertsDataSourceModel{Alerts: types.ListValueMust(alertObjectType(), elems),
			Timeouts: timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"read": types.StringType})}}
		state := tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(stateType, nil)}
		if diags := state.Set(ctx, &model); diags.HasError() {
			b.Fatal(diags)
		}
		alertsRead = len(alerts)
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
