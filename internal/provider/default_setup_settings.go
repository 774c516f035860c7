package provider

import (
	"context"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// defaultSetupSettings are the attributes of a default setup that GitHub reports. The resource
// codescanning_default_setup and the data source of the same name embed them, so the two name
// and read every setting alike.
type defaultSetupSettings struct {
	State       types.String `tfsdk:"state"`
	Languages   types.Set    `tfsdk:"languages"`
	QuerySuite  types.String `tfsdk:"query_suite"`
	ThreatModel types.String `tfsdk:"threat_model"`
	RunnerType  types.String `tfsdk:"runner_type"`
	RunnerLabel types.String `tfsdk:"runner_label"`
	Schedule    types.String `tfsdk:"schedule"`
	UpdatedAt   types.String `tfsdk:"updated_at"`
}

// setFromGitHub copies what GitHub reports into the settings. A server without threat models
// (GHES 3.17) reports none, which reads as a null threat_model.
func (m *defaultSetupSettings) setFromGitHub(ctx context.Context, ds *githubclient.DefaultSetup) diag.Diagnostics {
	languages := slices.Clone(ds.Languages)
	if languages == nil {
		languages = []string{}
	}
	slices.Sort(languages)
	set, diags := types.SetValueFrom(ctx, types.StringType, languages)
	m.Languages = set
	m.State = types.StringValue(ds.State)
	m.QuerySuite = types.StringValue(ds.QuerySuite)
	m.ThreatModel = types.StringPointerValue(ds.ThreatModel)
	m.RunnerType = types.StringPointerValue(ds.RunnerType)
	m.RunnerLabel = types.StringPointerValue(ds.RunnerLabel)
	m.Schedule = types.StringPointerValue(ds.Schedule)
	m.UpdatedAt = types.StringNull()
	if ds.UpdatedAt != nil {
		m.UpdatedAt = types.StringValue(ds.UpdatedAt.UTC().Format(time.RFC3339))
	}
	return diags
}
