package provider

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// Checks that loop over a map of settings report in one order, the settings' names sorted, so
// that a plan says the same thing each time it is run (and a test's ExpectError, or a CI log
// compared with the last one, sees the same text). Go's map order differs between runs, so
// without the sort these fail nearly every run (-count=20 shows it).
func TestDiagnosticsOverSettingsComeInNameOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	unknown := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)

	t.Run("default setup settings while it is off", func(t *testing.T) {
		t.Parallel()
		r := &defaultSetupResource{}
		var s resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &s)
		config := configWith(t, s.Schema.Type().TerraformType(ctx), map[string]tftypes.Value{
			"repository": str("octo-org/service"), "state": str(githubclient.StateNotConfigured),
			"languages":   tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{str("go")}),
			"query_suite": str("extended"), "threat_model": str("remote"), "runner_type": str("labeled"), "runner_label": str("big"),
		})
		var resp resource.ValidateConfigResponse
		r.ValidateConfig(ctx, resource.ValidateConfigRequest{Config: tfsdk.Config{Schema: s.Schema, Raw: config}}, &resp)
		wantInOrder(t, resp.Diagnostics, "languages", "query_suite", "runner_label", "runner_type", "threat_model")
	})

	t.Run("alert filters an organization cannot take", func(t *testing.T) {
		t.Parallel()
		d := &alertsDataSource{}
		var s datasource.SchemaResponse
		d.Schema(ctx, datasource.SchemaRequest{}, &s)
		config := configWith(t, s.Schema.Type().TerraformType(ctx), map[string]tftypes.Value{
			"organization": str("octo-org"), "ref": str("refs/heads/main"), "pr": tftypes.NewValue(tftypes.Number, 7),
		})
		var resp datasource.ValidateConfigResponse
		d.ValidateConfig(ctx, datasource.ValidateConfigRequest{Config: tfsdk.Config{Schema: s.Schema, Raw: config}}, &resp)
		wantInOrder(t, resp.Diagnostics, "pr needs", "ref needs")
	})

	t.Run("provider settings not known until apply", func(t *testing.T) {
		t.Parallel()
		p := New("test")()
		var s provider.SchemaResponse
		p.Schema(ctx, provider.SchemaRequest{}, &s)
		config := configWith(t, s.Schema.Type().TerraformType(ctx), map[string]tftypes.Value{
			"token": unknown, "base_url": unknown, "owner": unknown, "api_version": unknown, "cache_dir": unknown,
			"max_concurrency": tftypes.NewValue(tftypes.Number, tftypes.UnknownValue),
		})
		var resp provider.ConfigureResponse
		p.Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{Schema: s.Schema, Raw: config}}, &resp)
		wantInOrder(t, resp.Diagnostics, "provider's api_version ", "provider's base_url ", "provider's cache_dir ",
			"provider's max_concurrency ", "provider's owner ", "provider's token ")
	})
}

// configWith is a configuration of an object type with the given attributes set and every
// other one null.
func configWith(t *testing.T, typ tftypes.Type, set map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	obj, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object type", typ)
	}
	values := map[string]tftypes.Value{}
	for name, attrType := range obj.AttributeTypes {
		values[name] = tftypes.NewValue(attrType, nil)
	}
	for name, v := range set {
		if _, ok := obj.AttributeTypes[name]; !ok {
			t.Fatalf("the schema has no attribute %s", name)
		}
		values[name] = v
	}
	return tftypes.NewValue(obj, values)
}

// wantInOrder fails unless diags are one per want, each naming its want (in the attribute path,
// summary or detail) in the order given.
func wantInOrder(t *testing.T, diags diag.Diagnostics, want ...string) {
	t.Helper()
	var got []string
	for _, d := range diags {
		text := d.Summary() + " " + d.Detail()
		if withPath, ok := d.(diag.DiagnosticWithPath); ok {
			text = withPath.Path().String() + " " + text
		}
		got = append(got, text)
	}
	if len(got) != len(want) || !slices.EqualFunc(got, want, strings.Contains) {
		t.Fatalf("diagnostics\n%s\nwant one naming each of %q, in that order", strings.Join(got, "\n"), want)
	}
}

// The run an apply did not wait for is remembered with the settings it asked for in one order,
// so the private state Terraform stores is the same bytes for the same plan.
func TestUnwaitedRunRecordIsTheSameEachTime(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	plan := defaultSetupModel{defaultSetupSettings: defaultSetupSettings{
		State: types.StringValue("configured"), Languages: languageSet("go"), QuerySuite: types.StringValue("extended"),
		ThreatModel: types.StringValue("remote"), RunnerType: types.StringValue("standard"), RunnerLabel: types.StringNull(),
	}}
	var first []byte
	for i := range 20 {
		private := memoryPrivate{}
		if diags := rememberUnwaitedRun(ctx, private, &githubclient.Run{ID: 42}, plan); diags.HasError() {
			t.Fatal(diags)
		}
		if i == 0 {
			first = private[privateKeyUnwaitedRun]
		} else if string(private[privateKeyUnwaitedRun]) != string(first) {
			t.Fatalf("record %d is %s; the first was %s", i, private[privateKeyUnwaitedRun], first)
		}
	}
	if !strings.Contains(string(first), `"asked":["languages","query_suite","runner_label","runner_type","state","threat_model"]`) {
		t.Fatalf("record %s; want the asked settings sorted", first)
	}
}

// A GitHub App half given in the environment names what is missing in one order.
func TestMissingAppEnvironmentIsNamedInOrder(t *testing.T) {
	t.Setenv(envAppID, "")
	t.Setenv(envAppInstallationID, "")
	t.Setenv(envAppPEMFile, "")
	t.Setenv(envAppPrivateKey, "-----BEGIN RSA PRIVATE KEY-----")
	for range 20 {
		_, set, err := appFromEnvironment()
		if !set || err == nil || err.Error() != envAppID+", "+envAppInstallationID+" not set" {
			t.Fatalf("set %t, error %v; want both missing names, in order", set, err)
		}
	}
}
