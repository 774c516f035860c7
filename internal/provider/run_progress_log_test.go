package provider

import (
	"bytes"
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// configureForTest configures the provider as terraform would, with settings given by name and
// every other one null, and returns what resources receive.
func configureForTest(t *testing.T, ctx context.Context, settings map[string]string) *providerData {
	t.Helper()
	p := New("test", WithBackoff(fastBackoff), WithRetryPolicy(fastRetry))()
	var schemaResp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &schemaResp)
	objType, ok := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("provider schema is not an object")
	}
	values := map[string]tftypes.Value{}
	for name, typ := range objType.AttributeTypes {
		values[name] = tftypes.NewValue(typ, nil)
		if v, set := settings[name]; set {
			values[name] = tftypes.NewValue(tftypes.String, v)
		}
	}
	var resp provider.ConfigureResponse
	p.Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{Schema: schemaResp.Schema, Raw: tftypes.NewValue(objType, values)}}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("Configure: %v", resp.Diagnostics)
	}
	data, ok := resp.ResourceData.(*providerData)
	if !ok {
		t.Fatalf("Configure handed resources %T", resp.ResourceData)
	}
	return data
}

// The run's progress reaches terraform's log at INFO, where TF_LOG=INFO shows it, not DEBUG.
func TestRunProgressIsLoggedAtInfo(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	data := configureForTest(t, ctx, map[string]string{"base_url": tt.baseURL, "token": "test-token", "write_delay": "0s"})
	repo := githubclient.Repository{Owner: testOwner, Name: "service"}
	run, err := data.client.UpdateDefaultSetup(ctx, repo, githubclient.DefaultSetupUpdate{State: githubclient.StateConfigured, Languages: []string{"go"}})
	if err != nil || run == nil {
		t.Fatalf("UpdateDefaultSetup = %v, %v", run, err)
	}
	if _, err := data.client.WaitForRun(ctx, repo, *run); err != nil {
		t.Fatal(err)
	}
	entries, err := tflogtest.MultilineJSONDecode(&logs)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e["@level"] == "info" && e["status"] == "completed" && e["html_url"] != nil && e["run_id"] != nil {
			return
		}
	}
	t.Errorf("no INFO entry with the completed run's id and html_url among %v", entries)
}
