package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// The feature settings of a code security configuration, written once for the resource and the
// data sources: their attribute names are the API's, and each enablement setting is a row of
// enablementSettings, so the schema, the read of GitHub's answer and the write body cannot
// disagree about a setting. The options objects of the API are flat attributes here
// (code_scanning_default_setup_runner_type rather than code_scanning_default_setup_options.runner_type):
// each can then be left to GitHub on its own, without a nested object whose half is unknown.

// The values GitHub's descriptions give the settings (github.com, GHES 3.17 and 3.19).
var (
	enablementValues          = []string{"enabled", "disabled", "not_set"}
	advancedSecurityValues    = []string{"enabled", "disabled", "code_security", "secret_protection"}
	enforcementValues         = []string{"enforced", "unenforced"}
	configurationRunnerTypes  = []string{"standard", "labeled", "not_set"}
	bypassReviewerTypes       = []string{"TEAM", "ROLE"}
	bypassReviewerModes       = []string{"ALWAYS", "EXEMPT"}
	defaultForNewReposValues  = []string{githubclient.DefaultForAll, githubclient.DefaultForNone, githubclient.DefaultForPrivateAndInternal, githubclient.DefaultForPublic}
	configurationTargetTypes  = []string{githubclient.TargetGlobal, githubclient.TargetOrganization, githubclient.TargetEnterprise}
	configurationListedTarget = append([]string{"all"}, configurationTargetTypes...)
)

// securityConfigurationSettings are the settings GitHub reports back. code_security and
// secret_protection are not here: GitHub only takes them (the resource's model has them).
type securityConfigurationSettings struct {
	AdvancedSecurity                       types.String `tfsdk:"advanced_security"`
	DependencyGraph                        types.String `tfsdk:"dependency_graph"`
	DependencyGraphAutosubmitAction        types.String `tfsdk:"dependency_graph_autosubmit_action"`
	DependencyGraphAutosubmitActionLabeled types.Bool   `tfsdk:"dependency_graph_autosubmit_action_labeled_runners"`
	DependabotAlerts                       types.String `tfsdk:"dependabot_alerts"`
	DependabotSecurityUpdates              types.String `tfsdk:"dependabot_security_updates"`
	DependabotDelegatedAlertDismissal      types.String `tfsdk:"dependabot_delegated_alert_dismissal"`
	CodeScanningDefaultSetup               types.String `tfsdk:"code_scanning_default_setup"`
	CodeScanningDefaultSetupRunnerType     types.String `tfsdk:"code_scanning_default_setup_runner_type"`
	CodeScanningDefaultSetupRunnerLabel    types.String `tfsdk:"code_scanning_default_setup_runner_label"`
	CodeScanningAllowAdvanced              types.Bool   `tfsdk:"code_scanning_allow_advanced"`
	CodeScanningDelegatedAlertDismissal    types.String `tfsdk:"code_scanning_delegated_alert_dismissal"`
	SecretScanning                         types.String `tfsdk:"secret_scanning"`
	SecretScanningPushProtection           types.String `tfsdk:"secret_scanning_push_protection"`
	SecretScanningDelegatedBypass          types.String `tfsdk:"secret_scanning_delegated_bypass"`
	SecretScanningDelegatedBypassReviewers types.Set    `tfsdk:"secret_scanning_delegated_bypass_reviewers"`
	SecretScanningValidityChecks           types.String `tfsdk:"secret_scanning_validity_checks"`
	SecretScanningNonProviderPatterns      types.String `tfsdk:"secret_scanning_non_provider_patterns"`
	SecretScanningGenericSecrets           types.String `tfsdk:"secret_scanning_generic_secrets"`
	SecretScanningDelegatedAlertDismissal  types.String `tfsdk:"secret_scanning_delegated_alert_dismissal"`
	SecretScanningExtendedMetadata         types.String `tfsdk:"secret_scanning_extended_metadata"`
	PrivateVulnerabilityReporting          types.String `tfsdk:"private_vulnerability_reporting"`
	Enforcement                            types.String `tfsdk:"enforcement"`
}

// enablementSetting is one string setting: its attribute (the API's name), what it turns on,
// the values it takes, and where it lives in the model, in GitHub's answer and in a write.
type enablementSetting struct {
	name   string
	what   string
	values []string
	field  func(*securityConfigurationSettings) *types.String
	read   func(*githubclient.SecurityConfiguration) string
	write  func(*githubclient.SecurityConfigurationSettings) *string
}

var enablementSettings = []enablementSetting{
	{"advanced_security", "GitHub Advanced Security (`enabled` turns on both Code Security and Secret Protection; `code_security` and `secret_protection` are values GitHub deprecates: prefer the attributes of those names)", advancedSecurityValues,
		func(s *securityConfigurationSettings) *types.String { return &s.AdvancedSecurity },
		func(c *githubclient.SecurityConfiguration) string { return c.AdvancedSecurity },
		func(w *githubclient.SecurityConfigurationSettings) *string { return &w.AdvancedSecurity }},
	{"dependency_graph", "the dependency graph", enablementValues,
		func(s *securityConfigurationSettings) *types.String { return &s.DependencyGraph },
		func(c *githubclient.SecurityConfiguration) string { return c.DependencyGraph },
		func(w *githubclient.SecurityConfigurationSettings) *string { return &w.DependencyGraph }},
	{"dependency_graph_autosubmit_action", "automatic dependency submission (github.com only)", enablementValues,
		func(s *securityConfigurationSettings) *types.String { return &s.DependencyGraphAutosubmitAction },
		func(c *githubclient.SecurityConfiguration) string { return c.DependencyGraphAutosubmitAction },
		func(w *githubclient.SecurityConfigurationSettings) *string { return &w.DependencyGraphAutosubmitAction }},
	{"dependabot_alerts", "Dependabot alerts", enablementValues,
		func(s *securityConfigurationSettings) *types.String { return &s.DependabotAlerts },
		func(c *githubclient.SecurityConfiguration) string { return c.DependabotAlerts },
		func(w *githubclient.SecurityConfigurationSettings) *string { return &w.DependabotAlerts }},
	{"dependabot_security_updates", "Dependabot security updates", enablementValues,
		func(s *securityConfigurationSettings) *types.String { return &s.DependabotSecurityUpdates },
		func(c *githubclient.SecurityConfiguration) string { return c.DependabotSecurityUpdates },
		func(w *githubclient.SecurityConfigurationSettings) *string { return &w.DependabotSecurityUpdates }},
	{"dependabot_delegated_alert_dismissal", "Dependabot delegated alert dismissal (needs Dependabot alerts)", enablementValues,
		func(s *securityConfigurationSettings) *types.String { return &s.DependabotDelegatedAlertDismissal },
		func(c *githubclient.SecurityConfiguration) string {
			if c.DependabotDelegatedAlertDismissal == nil {
				return ""
			}
			return *c.DependabotDelegatedAlertDismissal
		},
		func(w *githubclient.SecurityConfigurationSettings) *string {
			return &w.DependabotDelegatedAlertDismissal
		}},
	{"code_scanning_default_setup", "code scanning default setup", enablementValues,
		func(s *securityConfigurationSettings) *types.String { return &s.CodeScanningDefaultSetup },
		func(c *githubclient.SecurityConfiguration) string { return c.CodeScanningDefaultSetup },
		func(w *githubclient.SecurityConfigurationSettings) *string { return &w.CodeScanningDefaultSetup }},
	{"code_scanning_delegated_alert_dismissal", "code scanning delegated alert dismissal", enablementValues,
		func(s *securityConfigurationSettings) *types.String { return &s.CodeScanningDelegatedAlertDismissal },
		func(c *githubclient.SecurityConfiguration) string { return c.CodeScanningDelegatedAlertDismissal },
		func(w *githubclient.SecurityConfigurationSettings) *string {
			return &w.CodeScanningDelegatedAlertDismissal
		}},
	{"secret_scanning", "secret scanning", enablementValues,
		func(s *securityConfigurationSettings) *types.String { return &s.SecretScanning },
		func(c *githubclient.SecurityConfiguration) string { return c.SecretScanning },
		func(w *githubclient.SecurityConfigurationSettings) *string { return &w.SecretScanning }},
	{"secret_scanning_push_protection", "secret scanning push protection", enablementValues,
		func(s *securityConfigurationSettings) *types.String { return &s.SecretScanningPushProtection },
		func(c *githubclient.SecurityConfiguration) string { return c.SecretScanningPushProtection },
		func(w *githubclient.SecurityConfigurationSettings) *string { return &w.SecretScanningPushProtection }},
	{"secret_scanning_delegated_bypass", "delegated bypass of push protection (reviewers in `secret_scanning_delegated_bypass_reviewers`)", enablementValues,
		func(s *securityConfigurationSettings) *types.String { return &s.SecretScanningDelegatedBypass },
		func(c *githubclient.SecurityConfiguration) string { return c.SecretScanningDelegatedBypass },
		func(w *githubclient.SecurityConfigurationSettings) *string { return &w.SecretScanningDelegatedBypass }},
	{"secret_scanning_validity_checks", "secret scanning validity checks", enablementValues,
		func(s *securityConfigurationSettings) *types.String { return &s.SecretScanningValidityChecks },
		func(c *githubclient.SecurityConfiguration) string { return c.SecretScanningValidityChecks },
		func(w *githubclient.SecurityConfigurationSettings) *string { return &w.SecretScanningValidityChecks }},
	{"secret_scanning_non_provider_patterns", "secret scanning of non-provider patterns", enablementValues,
		func(s *securityConfigurationSettings) *types.String { return &s.SecretScanningNonProviderPatterns },
		func(c *githubclient.SecurityConfiguration) string { return c.SecretScanningNonProviderPatterns },
		func(w *githubclient.SecurityConfigurationSettings) *string {
			return &w.SecretScanningNonProviderPatterns
		}},
	{"secret_scanning_generic_secrets", "Copilot secret scanning (generic secrets; github.com only)", enablementValues,
		func(s *securityConfigurationSettings) *types.String { return &s.SecretScanningGenericSecrets },
		func(c *githubclient.SecurityConfiguration) string { return c.SecretScanningGenericSecrets },
		func(w *githubclient.SecurityConfigurationSettings) *string { return &w.SecretScanningGenericSecrets }},
	{"secret_scanning_delegated_alert_dismissal", "secret scanning delegated alert dismissal", enablementValues,
		func(s *securityConfigurationSettings) *types.String { return &s.SecretScanningDelegatedAlertDismissal },
		func(c *githubclient.SecurityConfiguration) string { return c.SecretScanningDelegatedAlertDismissal },
		func(w *githubclient.SecurityConfigurationSettings) *string {
			return &w.SecretScanningDelegatedAlertDismissal
		}},
	{"secret_scanning_extended_metadata", "secret scanning extended metadata (github.com only)", enablementValues,
		func(s *securityConfigurationSettings) *types.String { return &s.SecretScanningExtendedMetadata },
		func(c *githubclient.SecurityConfiguration) string { return c.SecretScanningExtendedMetadata },
		func(w *githubclient.SecurityConfigurationSettings) *string { return &w.SecretScanningExtendedMetadata }},
	{"private_vulnerability_reporting", "private vulnerability reporting", enablementValues,
		func(s *securityConfigurationSettings) *types.String { return &s.PrivateVulnerabilityReporting },
		func(c *githubclient.SecurityConfiguration) string { return c.PrivateVulnerabilityReporting },
		func(w *githubclient.SecurityConfigurationSettings) *string { return &w.PrivateVulnerabilityReporting }},
	{"enforcement", "enforcement", enforcementValues,
		func(s *securityConfigurationSettings) *types.String { return &s.Enforcement },
		func(c *githubclient.SecurityConfiguration) string { return c.Enforcement },
		func(w *githubclient.SecurityConfigurationSettings) *string { return &w.Enforcement }},
}

// bypassReviewerModel is one reviewer of delegated bypass requests.
type bypassReviewerModel struct {
	ReviewerID   types.Int64  `tfsdk:"reviewer_id"`
	ReviewerType types.String `tfsdk:"reviewer_type"`
	Mode         types.String `tfsdk:"mode"`
}

var bypassReviewerAttrTypes = map[string]attr.Type{
	"reviewer_id":   types.Int64Type,
	"reviewer_type": types.StringType,
	"mode":          types.StringType,
}

var bypassReviewerType = types.ObjectType{AttrTypes: bypassReviewerAttrTypes}

// setFromGitHub records the settings GitHub reports. A setting GitHub leaves out of its answer
// (a server without it) is null.
func (s *securityConfigurationSettings) setFromGitHub(cfg *githubclient.SecurityConfiguration) diag.Diagnostics {
	for _, e := range enablementSettings {
		*e.field(s) = stringOrNull(e.read(cfg))
	}
	s.DependencyGraphAutosubmitActionLabeled = types.BoolNull()
	if o := cfg.DependencyGraphAutosubmitActionOptions; o != nil && o.LabeledRunners != nil {
		s.DependencyGraphAutosubmitActionLabeled = types.BoolValue(*o.LabeledRunners)
	}
	s.CodeScanningAllowAdvanced = types.BoolNull()
	if o := cfg.CodeScanningOptions; o != nil && o.AllowAdvanced != nil {
		s.CodeScanningAllowAdvanced = types.BoolValue(*o.AllowAdvanced)
	}
	s.CodeScanningDefaultSetupRunnerType, s.CodeScanningDefaultSetupRunnerLabel = types.StringNull(), types.StringNull()
	if o := cfg.CodeScanningDefaultSetupOptions; o != nil {
		if o.RunnerType != nil {
			s.CodeScanningDefaultSetupRunnerType = stringOrNull(*o.RunnerType)
		}
		if o.RunnerLabel != nil {
			s.CodeScanningDefaultSetupRunnerLabel = stringOrNull(*o.RunnerLabel)
		}
	}
	reviewers := []attr.Value{}
	if o := cfg.SecretScanningDelegatedBypassOptions; o != nil {
		for _, r := range o.Reviewers {
			mode := r.Mode
			if mode == "" {
				// GHES has no mode: its reviewers review every bypass, which github.com calls ALWAYS.
				mode = "ALWAYS"
			}
			reviewers = append(reviewers, types.ObjectValueMust(bypassReviewerAttrTypes, map[string]attr.Value{
				"reviewer_id": types.Int64Value(r.ReviewerID), "reviewer_type": types.StringValue(r.ReviewerType), "mode": types.StringValue(mode),
			}))
		}
	}
	set, diags := types.SetValue(bypassReviewerType, reviewers)
	s.SecretScanningDelegatedBypassReviewers = set
	return diags
}

// writeTo puts into w the settings s sets: a null or unknown one is not sent, so GitHub keeps
// (or, on create, chooses) it.
func (s securityConfigurationSettings) writeTo(ctx context.Context, w *githubclient.SecurityConfigurationSettings) diag.Diagnostics {
	for _, e := range enablementSettings {
		if v := *e.field(&s); known(v) {
			*e.write(w) = v.ValueString()
		}
	}
	if v := s.DependencyGraphAutosubmitActionLabeled; !v.IsNull() && !v.IsUnknown() {
		w.DependencyGraphAutosubmitActionOptions = &githubclient.AutosubmitActionOptions{LabeledRunners: v.ValueBoolPointer()}
	}
	if v := s.CodeScanningAllowAdvanced; !v.IsNull() && !v.IsUnknown() {
		w.CodeScanningOptions = &githubclient.CodeScanningOptions{AllowAdvanced: v.ValueBoolPointer()}
	}
	if known(s.CodeScanningDefaultSetupRunnerType) {
		// The label goes with the type, null unless labeled: GitHub does not say whether
		// leaving labeled runners keeps a label.
		o := &githubclient.DefaultSetupOptions{RunnerType: s.CodeScanningDefaultSetupRunnerType.ValueStringPointer()}
		if s.CodeScanningDefaultSetupRunnerType.ValueString() == "labeled" && known(s.CodeScanningDefaultSetupRunnerLabel) {
			o.RunnerLabel = s.CodeScanningDefaultSetupRunnerLabel.ValueStringPointer()
		}
		w.CodeScanningDefaultSetupOptions = o
	}
	var diags diag.Diagnostics
	if v := s.SecretScanningDelegatedBypassReviewers; !v.IsNull() && !v.IsUnknown() {
		var reviewers []bypassReviewerModel
		diags.Append(v.ElementsAs(ctx, &reviewers, false)...)
		opts := &githubclient.DelegatedBypassOptionsSetting{Reviewers: []githubclient.BypassReviewerSetting{}}
		for _, r := range reviewers {
			setting := githubclient.BypassReviewerSetting{ReviewerID: r.ReviewerID.ValueInt64(), ReviewerType: r.ReviewerType.ValueString()}
			// ALWAYS is GitHub's default and GHES has no mode: only EXEMPT need be sent.
			if r.Mode.ValueString() == "EXEMPT" {
				setting.Mode = "EXEMPT"
			}
			opts.Reviewers = append(opts.Reviewers, setting)
		}
		w.SecretScanningDelegatedBypassOptions = opts
	}
	return diags
}

// settingAttribute is the attribute that holds a setting the client names by its API name
// (githubclient.EnterpriseSensitiveSettings), for a diagnostic that points at it.
func settingAttribute(apiName string) string {
	switch apiName {
	case "dependency_graph_autosubmit_action_options":
		return "dependency_graph_autosubmit_action_labeled_runners"
	case "code_scanning_options":
		return "code_scanning_allow_advanced"
	case "code_scanning_default_setup_options":
		return "code_scanning_default_setup_runner_type"
	}
	if strings.HasPrefix(apiName, "secret_scanning_delegated_bypass_options") {
		return "secret_scanning_delegated_bypass_reviewers"
	}
	return apiName
}

func known(v types.String) bool { return !v.IsNull() && !v.IsUnknown() }

func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
