package provider

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// Each row of enablementSettings reads and writes the API field of its own name: a row that
// points at a neighbour's field (the easy copy-paste slip in a table of twenty) fails here.
func TestEveryEnablementSettingReadsAndWritesItsOwnAPIField(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, e := range enablementSettings {
		value := e.values[len(e.values)-1]

		var s securityConfigurationSettings
		s.SecretScanningDelegatedBypassReviewers = types.SetNull(bypassReviewerType)
		for _, other := range enablementSettings {
			*other.field(&s) = types.StringNull()
		}
		*e.field(&s) = types.StringValue(value)
		var w githubclient.SecurityConfigurationSettings
		if diags := s.writeTo(ctx, &w); diags.HasError() {
			t.Fatal(diags)
		}
		raw, _ := json.Marshal(w)
		var sent map[string]any
		_ = json.Unmarshal(raw, &sent)
		if len(sent) != 1 || sent[e.name] != value {
			t.Errorf("%s = %q writes %s, want only {%q: %q}", e.name, value, raw, e.name, value)
		}

		var cfg githubclient.SecurityConfiguration
		if err := json.Unmarshal([]byte(`{"`+e.name+`": "`+value+`"}`), &cfg); err != nil {
			t.Fatal(err)
		}
		var read securityConfigurationSettings
		_ = read.setFromGitHub(&cfg)
		for _, other := range enablementSettings {
			got := *other.field(&read)
			switch {
			case other.name == e.name && got.ValueString() != value:
				t.Errorf("GitHub's %s = %q reads as %s", e.name, value, got)
			case other.name != e.name && !got.IsNull():
				t.Errorf("GitHub's %s = %q reads into %s as %s", e.name, value, other.name, got)
			}
		}
	}
}

// The options objects are flat attributes: each goes to its own object of the API, the runner
// label only with labeled runners, and a reviewer's mode only when it is EXEMPT (GitHub's
// default is ALWAYS, and GHES has no mode at all).
func TestConfigurationOptionsAreWrittenAsGitHubsObjects(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	reviewers := types.SetValueMust(bypassReviewerType, []attr.Value{
		types.ObjectValueMust(bypassReviewerAttrTypes, map[string]attr.Value{"reviewer_id": types.Int64Value(7), "reviewer_type": types.StringValue("TEAM"), "mode": types.StringValue("ALWAYS")}),
		types.ObjectValueMust(bypassReviewerAttrTypes, map[string]attr.Value{"reviewer_id": types.Int64Value(5), "reviewer_type": types.StringValue("ROLE"), "mode": types.StringValue("EXEMPT")}),
	})
	s := securityConfigurationSettings{
		DependencyGraphAutosubmitActionLabeled: types.BoolValue(true),
		CodeScanningAllowAdvanced:              types.BoolValue(false),
		CodeScanningDefaultSetupRunnerType:     types.StringValue("labeled"),
		CodeScanningDefaultSetupRunnerLabel:    types.StringValue("code-scanning"),
		SecretScanningDelegatedBypassReviewers: reviewers,
	}
	var w githubclient.SecurityConfigurationSettings
	if diags := s.writeTo(ctx, &w); diags.HasError() {
		t.Fatal(diags)
	}
	raw, _ := json.Marshal(w)
	for _, want := range []string{
		`"dependency_graph_autosubmit_action_options":{"labeled_runners":true}`,
		`"code_scanning_options":{"allow_advanced":false}`,
		`"code_scanning_default_setup_options":{"runner_type":"labeled","runner_label":"code-scanning"}`,
		`{"reviewer_id":7,"reviewer_type":"TEAM"}`,
		`{"reviewer_id":5,"reviewer_type":"ROLE","mode":"EXEMPT"}`,
	} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("write body %s lacks %s", raw, want)
		}
	}

	s.CodeScanningDefaultSetupRunnerType = types.StringValue("standard")
	w = githubclient.SecurityConfigurationSettings{}
	s.writeTo(ctx, &w)
	raw, _ = json.Marshal(w.CodeScanningDefaultSetupOptions)
	if string(raw) != `{"runner_type":"standard","runner_label":null}` {
		t.Errorf("standard runners write %s, want the label sent as null", raw)
	}

	// Read back: GHES reports a reviewer without a mode, which is ALWAYS.
	var cfg githubclient.SecurityConfiguration
	_ = json.Unmarshal([]byte(`{"secret_scanning_delegated_bypass_options":{"reviewers":[{"reviewer_id":7,"reviewer_type":"TEAM"}]},
		"code_scanning_default_setup_options":{"runner_type":"labeled","runner_label":"x"},"code_scanning_options":{"allow_advanced":true}}`), &cfg)
	var read securityConfigurationSettings
	_ = read.setFromGitHub(&cfg)
	if got := read.SecretScanningDelegatedBypassReviewers.String(); !strings.Contains(got, `"mode":"ALWAYS"`) {
		t.Errorf("a reviewer without mode reads as %s, want mode ALWAYS", got)
	}
	if read.CodeScanningDefaultSetupRunnerLabel.ValueString() != "x" || !read.CodeScanningAllowAdvanced.ValueBool() || !read.DependencyGraphAutosubmitActionLabeled.IsNull() {
		t.Errorf("options read as %+v", read)
	}
}

// A setting the configuration leaves out keeps the state's value in the plan (GitHub keeps it,
// since nothing is sent), so refreshing GitHub's choices never shows a diff; advanced_security,
// which GitHub derives from code_security and secret_protection, is unknown while they change.
func TestPlanKeepsGitHubsChoicesForSettingsLeftOut(t *testing.T) {
	t.Parallel()
	state := testConfigurationModel()
	state.DependabotAlerts = types.StringValue("enabled")
	state.AdvancedSecurity = types.StringValue("disabled")
	state.CodeScanningDefaultSetupRunnerType = types.StringValue("labeled")
	state.CodeScanningDefaultSetupRunnerLabel = types.StringValue("big")
	state.DefaultForNewRepos = types.StringValue("all")
	state.UpdatedAt = types.StringValue("2026-01-01T00:00:00Z")

	config := testConfigurationModel()
	config.CodeScanningDefaultSetup = types.StringValue("enabled")
	plan := unknownComputed(config)
	planKeepingGitHubChoices(&plan, config, state)
	if plan.DependabotAlerts.ValueString() != "enabled" || plan.AdvancedSecurity.ValueString() != "disabled" || plan.DefaultForNewRepos.ValueString() != "all" {
		t.Errorf("settings left out are planned as %s %s %s, want the state's", plan.DependabotAlerts, plan.AdvancedSecurity, plan.DefaultForNewRepos)
	}
	if plan.CodeScanningDefaultSetupRunnerLabel.ValueString() != "big" {
		t.Errorf("runner label with its type left out is planned %s, want the state's", plan.CodeScanningDefaultSetupRunnerLabel)
	}
	if !plan.UpdatedAt.IsUnknown() {
		t.Errorf("a change plans updated_at %s, want unknown", plan.UpdatedAt)
	}

	config.CodeSecurity = types.StringValue("enabled")
	plan = unknownComputed(config)
	planKeepingGitHubChoices(&plan, config, state)
	if !plan.AdvancedSecurity.IsUnknown() {
		t.Errorf("changing code_security plans advanced_security %s, want unknown (GitHub derives it)", plan.AdvancedSecurity)
	}

	config = testConfigurationModel()
	config.CodeScanningDefaultSetupRunnerType = types.StringValue("standard")
	plan = unknownComputed(config)
	planKeepingGitHubChoices(&plan, config, state)
	if !plan.CodeScanningDefaultSetupRunnerLabel.IsNull() {
		t.Errorf("standard runners plan the label %s, want null (it is sent as null)", plan.CodeScanningDefaultSetupRunnerLabel)
	}

	// Nothing set differs from the state: nothing is sent, updated_at stays.
	same := state
	plan = state
	plan.UpdatedAt = types.StringUnknown()
	planKeepingGitHubChoices(&plan, testConfigurationModel(), same)
	if !plan.UpdatedAt.Equal(state.UpdatedAt) {
		t.Errorf("no change plans updated_at %s, want the state's", plan.UpdatedAt)
	}
}

// GitHub answering other values than planned is recorded as planned (Terraform would refuse the
// result otherwise) and said in a warning naming the setting.
func TestAnswerOtherThanPlannedWarnsNamingTheSetting(t *testing.T) {
	t.Parallel()
	plan := testConfigurationModel()
	plan.DependabotDelegatedAlertDismissal = types.StringValue("enabled")
	got := plan
	got.DependabotDelegatedAlertDismissal = types.StringValue("disabled")
	var diags diag.Diagnostics
	got.keepPlanned(plan, &diags)
	if got.DependabotDelegatedAlertDismissal.ValueString() != "enabled" {
		t.Errorf("recorded %s, want the planned value", got.DependabotDelegatedAlertDismissal)
	}
	if diags.WarningsCount() != 1 || !strings.Contains(diags.Warnings()[0].Detail(), "dependabot_delegated_alert_dismissal") {
		t.Errorf("diagnostics %v, want one warning naming dependabot_delegated_alert_dismissal", diags)
	}
}

// Plan-time checks of settings that only make sense together.
func TestSecurityConfigurationValidationSaysWhatToWrite(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		set  func(*securityConfigurationModel)
		want string // "" is valid
	}{
		"label without labeled": {func(m *securityConfigurationModel) {
			m.CodeScanningDefaultSetupRunnerLabel = types.StringValue("x")
		}, `Set code_scanning_default_setup_runner_type = "labeled"`},
		"labeled without label": {func(m *securityConfigurationModel) {
			m.CodeScanningDefaultSetupRunnerType = types.StringValue("labeled")
		}, "Set code_scanning_default_setup_runner_label"},
		"labeled with label": {func(m *securityConfigurationModel) {
			m.CodeScanningDefaultSetupRunnerType, m.CodeScanningDefaultSetupRunnerLabel = types.StringValue("labeled"), types.StringValue("x")
		}, ""},
		"delegated dismissal without alerts": {func(m *securityConfigurationModel) {
			m.DependabotDelegatedAlertDismissal, m.DependabotAlerts = types.StringValue("enabled"), types.StringValue("disabled")
		}, `Set dependabot_alerts = "enabled"`},
		"deprecated advanced_security with code_security": {func(m *securityConfigurationModel) {
			m.AdvancedSecurity, m.CodeSecurity = types.StringValue("code_security"), types.StringValue("enabled")
		}, "Remove advanced_security"},
		"reviewers with bypass off": {func(m *securityConfigurationModel) {
			m.SecretScanningDelegatedBypass = types.StringValue("disabled")
			m.SecretScanningDelegatedBypassReviewers = types.SetValueMust(bypassReviewerType, []attr.Value{types.ObjectValueMust(bypassReviewerAttrTypes,
				map[string]attr.Value{"reviewer_id": types.Int64Value(1), "reviewer_type": types.StringValue("TEAM"), "mode": types.StringValue("ALWAYS")})})
		}, `secret_scanning_delegated_bypass = "enabled"`},
		"advanced_security enabled with both": {func(m *securityConfigurationModel) {
			m.AdvancedSecurity, m.CodeSecurity = types.StringValue("enabled"), types.StringValue("enabled")
		}, ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := testConfigurationModel()
			tc.set(&m)
			var diags diag.Diagnostics
			validateSecurityConfiguration(m, &diags)
			switch {
			case tc.want == "" && diags.HasError():
				t.Errorf("refused: %v", diags)
			case tc.want != "" && (!diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), tc.want)):
				t.Errorf("diagnostics %v, want an error saying %q", diags, tc.want)
			}
		})
	}
}

// The schema has an attribute for every field of the model and the model one for every
// attribute, with the same types: Get and Set would fail at run time otherwise.
func TestSecurityConfigurationModelMatchesItsSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var resp resource.SchemaResponse
	NewSecurityConfigurationResource().Schema(ctx, resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	m := testConfigurationModel()
	object, ok := resp.Schema.Type().(types.ObjectType)
	if !ok {
		t.Fatalf("schema type %T", resp.Schema.Type())
	}
	if _, diags := types.ObjectValueFrom(ctx, object.AttrTypes, m); diags.HasError() {
		t.Errorf("the model does not fit the schema: %v", diags)
	}
}

// testConfigurationModel is a configuration that sets nothing but its organization and name.
func testConfigurationModel() securityConfigurationModel {
	m := securityConfigurationModel{
		ID: types.StringNull(), Organization: types.StringValue("octo-org"), ConfigurationID: types.Int64Null(),
		Name: types.StringValue("baseline"), Description: types.StringNull(), CodeSecurity: types.StringNull(), SecretProtection: types.StringNull(),
		DefaultForNewRepos: types.StringNull(), HTMLURL: types.StringNull(), CreatedAt: types.StringNull(), UpdatedAt: types.StringNull(),
		Timeouts: timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{
			"create": types.StringType, "read": types.StringType, "update": types.StringType, "delete": types.StringType})},
	}
	s := &m.securityConfigurationSettings
	for _, e := range enablementSettings {
		*e.field(s) = types.StringNull()
	}
	s.DependencyGraphAutosubmitActionLabeled, s.CodeScanningAllowAdvanced = types.BoolNull(), types.BoolNull()
	s.CodeScanningDefaultSetupRunnerType, s.CodeScanningDefaultSetupRunnerLabel = types.StringNull(), types.StringNull()
	s.SecretScanningDelegatedBypassReviewers = types.SetNull(bypassReviewerType)
	return m
}

// unknownComputed is the plan Terraform proposes for config before ModifyPlan: every computed
// value the configuration leaves null is unknown.
func unknownComputed(config securityConfigurationModel) securityConfigurationModel {
	plan := config
	for _, e := range enablementSettings {
		if f := e.field(&plan.securityConfigurationSettings); f.IsNull() {
			*f = types.StringUnknown()
		}
	}
	for _, f := range []*types.String{&plan.CodeScanningDefaultSetupRunnerType, &plan.CodeScanningDefaultSetupRunnerLabel, &plan.DefaultForNewRepos, &plan.UpdatedAt} {
		if f.IsNull() {
			*f = types.StringUnknown()
		}
	}
	if plan.SecretScanningDelegatedBypassReviewers.IsNull() {
		plan.SecretScanningDelegatedBypassReviewers = types.SetUnknown(bypassReviewerType)
	}
	if plan.Description.IsNull() {
		plan.Description = types.StringValue("")
	}
	return plan
}

// The destroy plan warns that GitHub detaches the configuration's repositories, which keep
// their settings, and, for a default, that new repositories get no configuration.
func TestSecurityConfigurationDestroyPlanWarnsOfDetachedRepositories(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := NewSecurityConfigurationResource()
	var schemaResp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &schemaResp)
	state := tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), nil)}
	m := testConfigurationModel()
	m.DefaultForNewRepos = types.StringValue("all")
	if diags := state.Set(ctx, &m); diags.HasError() {
		t.Fatal(diags)
	}
	req := resource.ModifyPlanRequest{State: state, Plan: tfsdk.Plan{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), nil)}}
	var resp resource.ModifyPlanResponse
	r.(resource.ResourceWithModifyPlan).ModifyPlan(ctx, req, &resp) //nolint:forcetypeassert // asserted by the resource's interface assertions
	if resp.Diagnostics.WarningsCount() != 1 {
		t.Fatalf("diagnostics %v, want one warning", resp.Diagnostics)
	}
	w := resp.Diagnostics.Warnings()[0]
	for _, want := range []string{`"baseline" of octo-org detaches its repositories`, "they keep the settings it gave them", "default for all new repositories"} {
		if !strings.Contains(w.Summary()+" "+w.Detail(), want) {
			t.Errorf("warning %q / %q does not say %q", w.Summary(), w.Detail(), want)
		}
	}
}
