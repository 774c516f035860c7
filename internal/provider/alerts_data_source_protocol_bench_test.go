package provider

import (
	"context"
	"runtime"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/emulatortest"
)

// BenchmarkReadAlertsDataSource10000 is what the provider process does when terraform reads
// codescanning_alerts over a repository of 10,000 alerts: ReadDataSource through ProtocolServer, as main.go serves it,
// from the configuration terraform sends to the encoded state it gets back (the gRPC
// framing aside). The embedded GitHub shares the process, so its allocations are in the
// figures: BenchmarkListAlerts (internal/emulator) is its share. `go run ./internal/cmd/bench
// alerts` measures the provider process alone, through terraform.
func BenchmarkReadAlertsDataSource10000(b *testing.B) {
	ctx := context.Background()
	emu, baseURL := emulatortest.NewServer(b, emulator.Config{RateLimit: 1_000_000})
	emu.AddRepository(emulator.Repository{Owner: testOwner, Name: "monorepo", AdvancedSecurity: true, Languages: []string{"go"}})
	emu.SeedAlerts(testOwner, "monorepo", 10000, 1)

	p := New("bench")()
	server := ProtocolServer(p)()
	var providerSchema fwprovider.SchemaResponse
	p.Schema(ctx, fwprovider.SchemaRequest{}, &providerSchema)
	providerConfig := protocolConfig(b, providerSchema.Schema.Type().TerraformType(ctx), map[string]tftypes.Value{
		"base_url": tftypes.NewValue(tftypes.String, baseURL),
		"token":    tftypes.NewValue(tftypes.String, "bench"),
		"owner":    tftypes.NewValue(tftypes.String, testOwner),
	})
	if _, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		b.Fatal(err)
	}
	configured, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: providerConfig})
	if err != nil || hasErrorDiagnostic(configured.Diagnostics) {
		b.Fatal(err, configured.Diagnostics)
	}
	var dsSchema datasource.SchemaResponse
	(&alertsDataSource{}).Schema(ctx, datasource.SchemaRequest{}, &dsSchema)
	stateType := dsSchema.Schema.Type().TerraformType(ctx)
	config := protocolConfig(b, stateType, map[string]tftypes.Value{"repository": tftypes.NewValue(tftypes.String, "monorepo")})

	emu.ResetRequests()
	var stateBytes int
	runtime.GC()
	b.ResetTimer()
	for b.Loop() {
		resp, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "codescanning_alerts", Config: config})
		if err != nil || hasErrorDiagnostic(resp.Diagnostics) {
			b.Fatal(err, resp.Diagnostics)
		}
		stateBytes = len(resp.State.MsgPack)
	}
	b.StopTimer()
	b.ReportMetric(float64(len(emu.Requests()))/float64(b.N), "requests/op")
	b.ReportMetric(float64(stateBytes)/(1<<20), "state-MiB")
}
