package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// organizationPattern is an organization's login.
var organizationPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,38}$`)

var (
	_ resource.ResourceWithConfigure      = &securityConfigurationResource{}
	_ resource.ResourceWithImportState    = &securityConfigurationResource{}
	_ resource.ResourceWithModifyPlan     = &securityConfigurationResource{}
	_ resource.ResourceWithValidateConfig = &securityConfigurationResource{}
)

const (
	securityConfigurationCreateTimeout = 5 * time.Minute
	securityConfigurationUpdateTimeout = 5 * time.Minute
	securityConfigurationDeleteTimeout = 5 * time.Minute
	securityConfigurationReadTimeout   = 5 * time.Minute
)

// NewSecurityConfigurationResource is the codescanning_security_configuration resource.
func NewSecurityConfigurationResource() resource.Resource {
	return &securityConfigurationResource{}
}

type securityConfigurationResource struct {
	data *providerData
}

type securityConfigurationModel struct {
	ID              types.String `tfsdk:"id"`
	Organization    types.String `tfsdk:"organization"`
	ConfigurationID types.Int64  `tfsdk:"configuration_id"`
	Name            types.String `tfsdk:"name"`
	Description     types.String `tfsdk:"description"`
	// Write-only: GitHub takes them but never reports them (advanced_security shows their sum).
	CodeSecurity     types.String `tfsdk:"code_security"`
	SecretProtection types.String `tfsdk:"secret_protection"`
	securityConfigurationSettings
	DefaultForNewRepos types.String   `tfsdk:"default_for_new_repos"`
	HTMLURL            types.String   `tfsdk:"html_url"`
	CreatedAt          types.String   `tfsdk:"created_at"`
	UpdatedAt          types.String   `tfsdk:"updated_at"`
	Timeouts           timeouts.Value `tfsdk:"timeouts"`
}

func (r *securityConfigurationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_security_configuration"
}

// leftToGitHub is the sentence every optional setting's description ends with.
const leftToGitHub = " Omit it to leave it to GitHub (its default on create); removing it from the configuration later leaves GitHub's value as it is, with no diff."

func (r *securityConfigurationResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "`organization/configuration_id`.",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"organization": schema.StringAttribute{
			MarkdownDescription: "The organization that owns the configuration. Changing it creates the configuration anew there (replace).",
			Required:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1), stringvalidator.RegexMatches(organizationPattern, "must be an organization's login, without a slash")},
			PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"configuration_id": schema.Int64Attribute{
			MarkdownDescription: "GitHub's ID of the configuration, which `codescanning_security_configuration_attachment` takes.",
			Computed:            true,
			PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
		},
		"name": schema.StringAttribute{
			MarkdownDescription: "The configuration's name, unique within the organization.",
			Required:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"description": schema.StringAttribute{
			MarkdownDescription: "What the configuration is for (GitHub allows 255 characters). Empty when omitted.",
			Optional:            true,
			Computed:            true,
			Default:             stringdefault.StaticString(""),
			Validators:          []validator.String{stringvalidator.LengthAtMost(255)},
		},
		"code_security": schema.StringAttribute{
			MarkdownDescription: "GitHub Code Security (code scanning's paid features): one of `" + strings.Join(enablementValues, "`, `") + "`. " +
				"GitHub takes this setting but never reports it (`advanced_security` shows it with Secret Protection), so the provider keeps what you wrote and cannot show a change made outside Terraform. " +
				"GHES from 3.19. Omit it to leave it to GitHub.",
			Optional:   true,
			Validators: []validator.String{stringvalidator.OneOf(enablementValues...)},
		},
		"secret_protection": schema.StringAttribute{
			MarkdownDescription: "GitHub Secret Protection (secret scanning's paid features): one of `" + strings.Join(enablementValues, "`, `") + "`. " +
				"Write-only like `code_security`. GHES from 3.19. Omit it to leave it to GitHub.",
			Optional:   true,
			Validators: []validator.String{stringvalidator.OneOf(enablementValues...)},
		},
		"dependency_graph_autosubmit_action_labeled_runners": schema.BoolAttribute{
			MarkdownDescription: "Whether automatic dependency submission runs on runners labeled `dependency-submission` (`true`) or GitHub's standard runners (github.com only)." + leftToGitHub,
			Optional:            true,
			Computed:            true,
		},
		"code_scanning_allow_advanced": schema.BoolAttribute{
			MarkdownDescription: "Whether repositories that use code scanning's advanced setup keep it (`true`) rather than being moved to default setup (GHES from 3.19)." + leftToGitHub,
			Optional:            true,
			Computed:            true,
		},
		"code_scanning_default_setup_runner_type": schema.StringAttribute{
			MarkdownDescription: "Runners for default setup's analyses: `standard` (GitHub-hosted), `labeled` (self-hosted, with `code_scanning_default_setup_runner_label`) or `not_set`." + leftToGitHub,
			Optional:            true,
			Computed:            true,
			Validators:          []validator.String{stringvalidator.OneOf(configurationRunnerTypes...)},
		},
		"code_scanning_default_setup_runner_label": schema.StringAttribute{
			MarkdownDescription: "Label of the self-hosted runners default setup uses. Only with `code_scanning_default_setup_runner_type = \"labeled\"`, which requires it.",
			Optional:            true,
			Computed:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"secret_scanning_delegated_bypass_reviewers": schema.SetNestedAttribute{
			MarkdownDescription: "Teams and roles that review requests to bypass push protection, with `secret_scanning_delegated_bypass = \"enabled\"`. An empty set removes every reviewer." + leftToGitHub,
			Optional:            true,
			Computed:            true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"reviewer_id": schema.Int64Attribute{
					MarkdownDescription: "ID of the team or role.",
					Required:            true,
				},
				"reviewer_type": schema.StringAttribute{
					MarkdownDescription: "`TEAM` or `ROLE`.",
					Required:            true,
					Validators:          []validator.String{stringvalidator.OneOf(bypassReviewerTypes...)},
				},
				"mode": schema.StringAttribute{
					MarkdownDescription: "`ALWAYS` (default: the reviewer reviews every request) or `EXEMPT` (github.com only: the reviewer's own pushes bypass without review).",
					Optional:            true,
					Computed:            true,
					Default:             stringdefault.StaticString("ALWAYS"),
					Validators:          []validator.String{stringvalidator.OneOf(bypassReviewerModes...)},
				},
			}},
			Validators: []validator.Set{setvalidator.SizeAtMost(100)},
		},
		"default_for_new_repos": schema.StringAttribute{
			MarkdownDescription: "Which new repositories GitHub attaches the configuration to when they are created: `" + strings.Join(defaultForNewReposValues, "`, `") + "`. " +
				"Another configuration that was the default for those repositories stops being it. Omit it to leave the organization's defaults as they are.",
			Optional:   true,
			Computed:   true,
			Validators: []validator.String{stringvalidator.OneOf(defaultForNewReposValues...)},
		},
		"html_url": schema.StringAttribute{
			MarkdownDescription: "Web page of the configuration in the organization's settings.",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"created_at": schema.StringAttribute{
			MarkdownDescription: "When the configuration was created (RFC 3339).",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"updated_at": schema.StringAttribute{
			MarkdownDescription: "When the configuration last changed (RFC 3339).",
			Computed:            true,
		},
	}
	for _, e := range enablementSettings {
		attrs[e.name] = schema.StringAttribute{
			MarkdownDescription: settingDescription(e) + leftToGitHub,
			Optional:            true,
			Computed:            true,
			Validators:          []validator.String{stringvalidator.OneOf(e.values...)},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages an organization's **code security configuration**: one set of security settings (code scanning default setup, " +
			"secret scanning, Dependabot, ...) that `codescanning_security_configuration_attachment` applies to many repositories at once, and that can " +
			"be the default for new repositories. A setting left out is GitHub's choice and causes no diff. Destroying the resource deletes the configuration: " +
			"GitHub detaches its repositories, which keep the settings it gave them.",
		Attributes: attrs,
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{
				Create: true, Update: true, Delete: true, Read: true,
				CreateDescription: "How long creating the configuration (and making it a default) may take, rate-limit waits included; defaults to `" + terraformDuration(securityConfigurationCreateTimeout) + "`.",
				UpdateDescription: "How long a change may take; defaults to `" + terraformDuration(securityConfigurationUpdateTimeout) + "`.",
				DeleteDescription: "How long deleting may take; defaults to `" + terraformDuration(securityConfigurationDeleteTimeout) + "`.",
				ReadDescription:   "How long a refresh may take; defaults to `" + terraformDuration(securityConfigurationReadTimeout) + "`.",
			}),
		},
	}
}

// settingDescription is what an enablement setting's attribute does and the values it takes,
// for the resource and the data sources alike.
func settingDescription(e enablementSetting) string {
	if e.name == "enforcement" {
		return "Whether repositories may override the configuration: `enforced` (GitHub's default on create) keeps them from changing what it sets, `unenforced` lets them."
	}
	return "Whether the configuration turns on " + e.what + ": one of `" + strings.Join(e.values, "`, `") + "`."
}

func (r *securityConfigurationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig checks the settings that only make sense together, as GitHub's descriptions
// state them, so that a plan rather than an apply says what is wrong.
func (r *securityConfigurationResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var config securityConfigurationModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	validateSecurityConfiguration(config, &resp.Diagnostics)
}

func validateSecurityConfiguration(config securityConfigurationModel, diags *diag.Diagnostics) {
	runnerType, label := config.CodeScanningDefaultSetupRunnerType, config.CodeScanningDefaultSetupRunnerLabel
	if !runnerType.IsUnknown() && !label.IsUnknown() {
		labeled := runnerType.ValueString() == "labeled"
		switch {
		case !label.IsNull() && !labeled:
			diags.AddAttributeError(path.Root("code_scanning_default_setup_runner_label"), "code_scanning_default_setup_runner_label needs code_scanning_default_setup_runner_type = \"labeled\"",
				"GitHub uses a runner label only for self-hosted runners. Set code_scanning_default_setup_runner_type = \"labeled\", or remove code_scanning_default_setup_runner_label.")
		case labeled && label.IsNull():
			diags.AddAttributeError(path.Root("code_scanning_default_setup_runner_label"), "code_scanning_default_setup_runner_type = \"labeled\" needs code_scanning_default_setup_runner_label",
				"Set code_scanning_default_setup_runner_label to the label of the self-hosted runners that should run default setup, or set code_scanning_default_setup_runner_type = \"standard\".")
		}
	}
	if config.DependabotDelegatedAlertDismissal.ValueString() == "enabled" && known(config.DependabotAlerts) && config.DependabotAlerts.ValueString() != "enabled" {
		diags.AddAttributeError(path.Root("dependabot_delegated_alert_dismissal"), "Dependabot delegated alert dismissal needs Dependabot alerts",
			"GitHub delegates the dismissal of Dependabot alerts only where Dependabot alerts are on. Set dependabot_alerts = \"enabled\", or remove dependabot_delegated_alert_dismissal.")
	}
	if old := config.AdvancedSecurity.ValueString(); (old == "code_security" || old == "secret_protection") && (!config.CodeSecurity.IsNull() || !config.SecretProtection.IsNull()) {
		diags.AddAttributeError(path.Root("advanced_security"), "advanced_security = \""+old+"\" with code_security or secret_protection",
			"advanced_security = \""+old+"\" is GitHub's deprecated way of writing what code_security and secret_protection say. Remove advanced_security, or remove code_security and secret_protection.")
	}
	if !config.SecretScanningDelegatedBypassReviewers.IsNull() && !config.SecretScanningDelegatedBypassReviewers.IsUnknown() && len(config.SecretScanningDelegatedBypassReviewers.Elements()) > 0 &&
		known(config.SecretScanningDelegatedBypass) && config.SecretScanningDelegatedBypass.ValueString() != "enabled" {
		diags.AddAttributeError(path.Root("secret_scanning_delegated_bypass_reviewers"), "Bypass reviewers need delegated bypass",
			"Reviewers review bypass requests only with secret_scanning_delegated_bypass = \"enabled\". Set it, or remove secret_scanning_delegated_bypass_reviewers.")
	}
}

// ModifyPlan warns of what destroy does, refuses at plan time a setting the GitHub Enterprise
// Server release lacks (once the client knows the release), and keeps GitHub's values for the
// settings the configuration leaves out, so they cause no diff.
func (r *securityConfigurationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		warnSecurityConfigurationDestroy(ctx, req.State, &resp.Diagnostics)
		return
	}
	var plan, config securityConfigurationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() {
		if r.data != nil {
			checkConfigurationSettingsAvailable(ctx, r.data.client.ServerVersion(), config, false, &resp.Diagnostics)
		}
		return
	}
	var state securityConfigurationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	planKeepingGitHubChoices(&plan, config, state)
	if r.data != nil {
		// Update sends the configured settings only when the plan changes one of them (Update).
		checkConfigurationSettingsAvailable(ctx, r.data.client.ServerVersion(), config, !plan.sendsSameAs(state), &resp.Diagnostics)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// planKeepingGitHubChoices plans, for every setting the configuration leaves out, the value the
// state holds: GitHub keeps it, since a write sends only what the configuration sets. GitHub
// derives advanced_security from code_security and secret_protection, so while those change and
// advanced_security is left out, it is unknown. updated_at stays only when nothing is sent.
func planKeepingGitHubChoices(plan *securityConfigurationModel, config, state securityConfigurationModel) {
	for _, e := range enablementSettings {
		keepIfUnset(e.field(&plan.securityConfigurationSettings), *e.field(&config.securityConfigurationSettings), *e.field(&state.securityConfigurationSettings))
	}
	keepBoolChosen(&plan.DependencyGraphAutosubmitActionLabeled, config.DependencyGraphAutosubmitActionLabeled, state.DependencyGraphAutosubmitActionLabeled)
	keepBoolChosen(&plan.CodeScanningAllowAdvanced, config.CodeScanningAllowAdvanced, state.CodeScanningAllowAdvanced)
	if config.CodeScanningDefaultSetupRunnerType.IsNull() {
		// The options are not sent: GitHub keeps type and label alike.
		plan.CodeScanningDefaultSetupRunnerType = state.CodeScanningDefaultSetupRunnerType
		plan.CodeScanningDefaultSetupRunnerLabel = state.CodeScanningDefaultSetupRunnerLabel
	} else if config.CodeScanningDefaultSetupRunnerLabel.IsNull() {
		// Sent with the type, the label is null unless labeled (which requires one).
		plan.CodeScanningDefaultSetupRunnerLabel = types.StringNull()
	}
	if config.SecretScanningDelegatedBypassReviewers.IsNull() {
		plan.SecretScanningDelegatedBypassReviewers = state.SecretScanningDelegatedBypassReviewers
	}
	if config.DefaultForNewRepos.IsNull() {
		plan.DefaultForNewRepos = state.DefaultForNewRepos
	}
	writeOnlyChange := !plan.CodeSecurity.Equal(state.CodeSecurity) || !plan.SecretProtection.Equal(state.SecretProtection)
	if writeOnlyChange && config.AdvancedSecurity.IsNull() {
		plan.AdvancedSecurity = types.StringUnknown()
	}
	if plan.sendsSameAs(state) {
		plan.UpdatedAt = state.UpdatedAt
	}
}

func keepBoolChosen(planned *types.Bool, configured, prior types.Bool) {
	if configured.IsNull() {
		*planned = prior
	}
}

// sendsSameAs reports whether m asks GitHub for the configuration other records: then an update
// sends nothing to the configuration itself (default_for_new_repos and timeouts aside).
func (m securityConfigurationModel) sendsSameAs(other securityConfigurationModel) bool {
	return m.Name.Equal(other.Name) && m.Description.Equal(other.Description) && m.CodeSecurity.Equal(other.CodeSecurity) &&
		m.SecretProtection.Equal(other.SecretProtection) && m.equal(other.securityConfigurationSettings)
}

// equal compares every setting; an unknown one equals nothing.
func (s securityConfigurationSettings) equal(o securityConfigurationSettings) bool {
	for _, e := range enablementSettings {
		v := *e.field(&s)
		if v.IsUnknown() || !v.Equal(*e.field(&o)) {
			return false
		}
	}
	return s.DependencyGraphAutosubmitActionLabeled.Equal(o.DependencyGraphAutosubmitActionLabeled) &&
		s.CodeScanningAllowAdvanced.Equal(o.CodeScanningAllowAdvanced) &&
		s.CodeScanningDefaultSetupRunnerType.Equal(o.CodeScanningDefaultSetupRunnerType) &&
		s.CodeScanningDefaultSetupRunnerLabel.Equal(o.CodeScanningDefaultSetupRunnerLabel) &&
		s.SecretScanningDelegatedBypassReviewers.Equal(o.SecretScanningDelegatedBypassReviewers)
}

// checkConfigurationSettingsAvailable is the client's refusal of a setting the server's release
// lacks, at plan time and on the attribute: possible once the client has heard which release the
// server runs (version "" is github.com or not yet known; apply checks again). An update is
// checked against the release's update body, which can lack a setting its create has.
func checkConfigurationSettingsAvailable(ctx context.Context, version string, config securityConfigurationModel, update bool, diags *diag.Diagnostics) {
	if version == "" {
		return
	}
	var w githubclient.SecurityConfigurationSettings
	config.writeTo(ctx, &w)
	w.CodeSecurity, w.SecretProtection = config.CodeSecurity.ValueString(), config.SecretProtection.ValueString()
	check := githubclient.KnownConfigurationSettingUnavailable
	if update {
		check = githubclient.KnownConfigurationUpdateSettingUnavailable
	}
	err := check(version, "plan", githubclient.EnterpriseSensitiveSettings(w))
	var u *githubclient.ConfigurationSettingUnavailableError
	if errors.As(err, &u) {
		addSettingUnavailable(diags, "", u)
	}
}

// addSettingUnavailable is the diagnostic, on the setting's attribute, for a setting the GHES
// release lacks; summary "" is the plan's.
func addSettingUnavailable(diags *diag.Diagnostics, summary string, u *githubclient.ConfigurationSettingUnavailableError) {
	name := settingAttribute(u.Setting)
	if summary == "" {
		summary = "GitHub Enterprise Server " + u.ServerVersion + " has no " + name
	}
	detail := "This server's release would ignore " + name + ", so the provider does not send it. Remove " + name + " from the configuration"
	switch {
	case u.CreateOnly:
		detail += ", or replace the configuration (terraform apply -replace) to set it: this release takes it when creating a configuration, not in an update"
	case u.Since != "":
		detail += ", or upgrade the server to GitHub Enterprise Server " + u.Since + " or later"
	}
	diags.AddAttributeError(path.Root(name), summary, detail+".\n\nOriginal Error: "+u.Error())
}

// warnSecurityConfigurationDestroy says in the plan what deleting a configuration does to the
// repositories it manages, which the plan cannot show.
func warnSecurityConfigurationDestroy(ctx context.Context, state tfValues, diags *diag.Diagnostics) {
	var name, org, defaults types.String
	state.GetAttribute(ctx, path.Root("name"), &name)
	state.GetAttribute(ctx, path.Root("organization"), &org)
	state.GetAttribute(ctx, path.Root("default_for_new_repos"), &defaults)
	detail := "GitHub detaches every repository the configuration is attached to; they keep the settings it gave them (code scanning default setup stays on where it was on), " +
		"but nothing enforces them any more. Attach another configuration first if they should stay managed."
	if v := defaults.ValueString(); v != "" && v != githubclient.DefaultForNone {
		detail += fmt.Sprintf(" It is the default for %s new repositories: the provider first makes it the default for none, so new repositories get no configuration.", v)
	}
	diags.AddWarning(fmt.Sprintf("Destroying code security configuration %q of %s detaches its repositories", name.ValueString(), org.ValueString()), detail)
}

func (r *securityConfigurationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, config securityConfigurationModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	ctx, done, ok := startOrgOperation(ctx, req.Plan, &plan, timeouts.Value.Create, securityConfigurationCreateTimeout, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	org := plan.Organization.ValueString()
	settings, diags := configurationWrite(ctx, plan, config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	created, err := r.data.client.CreateSecurityConfiguration(ctx, org, settings)
	if err != nil {
		addConfigurationError(&resp.Diagnostics, fmt.Sprintf("Cannot create code security configuration %q in %s", settings.Name, org), err)
		return
	}
	// Recorded at once: should making it a default fail, the configuration exists and the state
	// says so (Terraform taints it, and the next apply replaces it).
	result := plan
	result.setFromGitHub(org, created)
	result.keepPlanned(plan, &resp.Diagnostics)
	result.DefaultForNewRepos = types.StringValue(githubclient.DefaultForNone)
	resp.Diagnostics.Append(resp.State.Set(ctx, &result)...)
	r.applyDefault(ctx, org, created.ID, &result, config.DefaultForNewRepos, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &result)...)
}

func (r *securityConfigurationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, config, prior securityConfigurationModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	ctx, done, ok := startOrgOperation(ctx, req.Plan, &plan, timeouts.Value.Update, securityConfigurationUpdateTimeout, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	org, id := prior.Organization.ValueString(), prior.ConfigurationID.ValueInt64()
	result := plan
	if !plan.sendsSameAs(prior) {
		settings, diags := configurationWrite(ctx, plan, config)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		updated, err := r.data.client.UpdateSecurityConfiguration(ctx, org, id, settings)
		if err != nil {
			addConfigurationError(&resp.Diagnostics, fmt.Sprintf("Cannot update code security configuration %d of %s", id, org), err)
			return
		}
		result.setFromGitHub(org, updated)
		result.keepPlanned(plan, &resp.Diagnostics)
	}
	result.DefaultForNewRepos = prior.DefaultForNewRepos
	if !config.DefaultForNewRepos.IsNull() && !config.DefaultForNewRepos.Equal(prior.DefaultForNewRepos) {
		r.applyDefault(ctx, org, id, &result, config.DefaultForNewRepos, &resp.Diagnostics)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &result)...)
}

// applyDefault makes the configuration the default for the new repositories wanted names, and
// records it in result once GitHub took it (or what GitHub holds, when wanted is null).
func (r *securityConfigurationResource) applyDefault(ctx context.Context, org string, id int64, result *securityConfigurationModel, wanted types.String, diags *diag.Diagnostics) {
	if wanted.IsNull() || wanted.IsUnknown() {
		defaults, err := r.data.client.ListDefaultSecurityConfigurations(ctx, org)
		if err != nil {
			addConfigurationError(diags, "Cannot read the default code security configurations of "+org, err)
			return
		}
		result.DefaultForNewRepos = types.StringValue(githubclient.DefaultForNewRepos(defaults, id))
		return
	}
	if err := r.data.client.SetDefaultSecurityConfiguration(ctx, org, id, wanted.ValueString()); err != nil {
		addConfigurationError(diags, fmt.Sprintf("Cannot make code security configuration %d of %s the default for %s new repositories", id, org, wanted.ValueString()), err)
		return
	}
	result.DefaultForNewRepos = wanted
}

func (r *securityConfigurationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state securityConfigurationModel
	ctx, done, ok := startOrgOperation(ctx, req.State, &state, timeouts.Value.Read, securityConfigurationReadTimeout, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	org, id := state.Organization.ValueString(), state.ConfigurationID.ValueInt64()
	cfg, err := r.data.client.GetSecurityConfiguration(ctx, org, id)
	if githubclient.IsNotFound(err) {
		resp.Diagnostics.AddWarning(fmt.Sprintf("GitHub answers 404 for code security configuration %d of %s; removed from the state", id, org),
			"It was deleted outside Terraform, or the token can no longer see the organization's configurations (an owner or security manager's token, "+
				"with the write:org scope or the organization permission Administration, can). The next apply creates it anew; if it still exists, "+
				fmt.Sprintf("import it with the ID \"%s/%d\" instead.", org, id))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addConfigurationError(&resp.Diagnostics, fmt.Sprintf("Cannot read code security configuration %d of %s", id, org), err)
		return
	}
	defaults, err := r.data.client.ListDefaultSecurityConfigurations(ctx, org)
	if err != nil {
		addConfigurationError(&resp.Diagnostics, "Cannot read the default code security configurations of "+org, err)
		return
	}
	state.setFromGitHub(org, cfg)
	state.DefaultForNewRepos = types.StringValue(githubclient.DefaultForNewRepos(defaults, id))
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *securityConfigurationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state securityConfigurationModel
	ctx, done, ok := startOrgOperation(ctx, req.State, &state, timeouts.Value.Delete, securityConfigurationDeleteTimeout, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	org, id := state.Organization.ValueString(), state.ConfigurationID.ValueInt64()
	if v := state.DefaultForNewRepos.ValueString(); v != "" && v != githubclient.DefaultForNone {
		// GitHub refuses to delete a default (409).
		err := r.data.client.SetDefaultSecurityConfiguration(ctx, org, id, githubclient.DefaultForNone)
		if err != nil && !githubclient.IsNotFound(err) {
			addConfigurationError(&resp.Diagnostics, fmt.Sprintf("Cannot stop code security configuration %d of %s being the default for new repositories", id, org), err)
			return
		}
	}
	err := r.data.client.DeleteSecurityConfiguration(ctx, org, id)
	if githubclient.IsNotFound(err) {
		resp.Diagnostics.AddWarning(fmt.Sprintf("Nothing to destroy: GitHub answers 404 for code security configuration %d of %s", id, org),
			"It was deleted outside Terraform, or the token can no longer see the organization's configurations; if it still exists, it stays on GitHub.")
		return
	}
	if err != nil {
		addConfigurationError(&resp.Diagnostics, fmt.Sprintf("Cannot delete code security configuration %d of %s", id, org), err)
	}
}

// ImportState takes organization/configuration_id or organization/name: a numeric remainder is
// tried as an ID first, then as a name (a configuration may be named "2024").
func (r *securityConfigurationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	org, rest, found := strings.Cut(req.ID, "/")
	if !found || org == "" || rest == "" {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("Import a code security configuration as organization/configuration_id (octo-org/1325) or organization/name (octo-org/Production); got %q.", req.ID))
		return
	}
	cfg, err := r.findForImport(ctx, org, rest)
	if err != nil {
		addConfigurationError(&resp.Diagnostics, fmt.Sprintf("Cannot find code security configuration %q of %s", rest, org), err)
		return
	}
	if cfg == nil {
		resp.Diagnostics.AddError(fmt.Sprintf("No code security configuration %q in %s", rest, org),
			"The organization has no configuration with that ID or name. The codescanning_security_configurations data source lists them.")
		return
	}
	if cfg.TargetType != "" && cfg.TargetType != githubclient.TargetOrganization {
		resp.Diagnostics.AddError(fmt.Sprintf("Code security configuration %q is %s's, not %s's", cfg.Name, targetOwner(cfg.TargetType), org),
			"Only an organization's own configurations can be managed by this resource. Read this one with the codescanning_security_configuration data source, "+
				"and attach it with codescanning_security_configuration_attachment by its configuration_id.")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), configurationResourceID(org, cfg.ID))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("organization"), org)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("configuration_id"), cfg.ID)...)
}

func (r *securityConfigurationResource) findForImport(ctx context.Context, org, rest string) (*githubclient.SecurityConfiguration, error) {
	if id, err := strconv.ParseInt(rest, 10, 64); err == nil {
		cfg, err := r.data.client.GetSecurityConfiguration(ctx, org, id)
		if !githubclient.IsNotFound(err) {
			return cfg, err
		}
	}
	return r.data.client.FindSecurityConfiguration(ctx, org, rest)
}

func targetOwner(targetType string) string {
	if targetType == githubclient.TargetGlobal {
		return "GitHub"
	}
	return "the enterprise"
}

func configurationResourceID(org string, id int64) string { return fmt.Sprintf("%s/%d", org, id) }

// configurationWrite is the body of a create or update: what the configuration sets, so GitHub
// keeps (or chooses) the rest; name and description always, being required or defaulted.
func configurationWrite(ctx context.Context, plan, config securityConfigurationModel) (githubclient.SecurityConfigurationSettings, diag.Diagnostics) {
	w := githubclient.SecurityConfigurationSettings{Name: plan.Name.ValueString(), Description: plan.Description.ValueStringPointer()}
	diags := config.writeTo(ctx, &w)
	w.CodeSecurity, w.SecretProtection = config.CodeSecurity.ValueString(), config.SecretProtection.ValueString()
	return w, diags
}

// setFromGitHub records what GitHub reports; code_security and secret_protection, which it
// never reports, stay as they are.
func (m *securityConfigurationModel) setFromGitHub(org string, cfg *githubclient.SecurityConfiguration) {
	m.ID = types.StringValue(configurationResourceID(org, cfg.ID))
	m.Organization = types.StringValue(org)
	m.ConfigurationID = types.Int64Value(cfg.ID)
	m.Name = types.StringValue(cfg.Name)
	m.Description = types.StringValue("")
	if cfg.Description != nil {
		m.Description = types.StringValue(*cfg.Description)
	}
	m.securityConfigurationSettings.setFromGitHub(cfg)
	m.HTMLURL = stringOrNull(cfg.HTMLURL)
	m.CreatedAt, m.UpdatedAt = timeOrNull(cfg.CreatedAt), timeOrNull(cfg.UpdatedAt)
}

// keepPlanned puts back every value the plan knew where GitHub's answer differs, warning about
// each: Terraform refuses a result that contradicts the plan, and the next refresh records what
// GitHub holds, which the next plan then shows.
func (m *securityConfigurationModel) keepPlanned(plan securityConfigurationModel, diags *diag.Diagnostics) {
	var differ []string
	keep := func(name string, got *types.String, want types.String) {
		if !want.IsUnknown() && !got.Equal(want) {
			differ = append(differ, fmt.Sprintf("%s: planned %s, GitHub %s", name, want, *got))
			*got = want
		}
	}
	keepBool := func(name string, got *types.Bool, want types.Bool) {
		if !want.IsUnknown() && !got.Equal(want) {
			differ = append(differ, fmt.Sprintf("%s: planned %s, GitHub %s", name, want, *got))
			*got = want
		}
	}
	keep("name", &m.Name, plan.Name)
	keep("description", &m.Description, plan.Description)
	for _, e := range enablementSettings {
		keep(e.name, e.field(&m.securityConfigurationSettings), *e.field(&plan.securityConfigurationSettings))
	}
	keepBool("dependency_graph_autosubmit_action_labeled_runners", &m.DependencyGraphAutosubmitActionLabeled, plan.DependencyGraphAutosubmitActionLabeled)
	keepBool("code_scanning_allow_advanced", &m.CodeScanningAllowAdvanced, plan.CodeScanningAllowAdvanced)
	keep("code_scanning_default_setup_runner_type", &m.CodeScanningDefaultSetupRunnerType, plan.CodeScanningDefaultSetupRunnerType)
	keep("code_scanning_default_setup_runner_label", &m.CodeScanningDefaultSetupRunnerLabel, plan.CodeScanningDefaultSetupRunnerLabel)
	if r := plan.SecretScanningDelegatedBypassReviewers; !r.IsUnknown() && !m.SecretScanningDelegatedBypassReviewers.Equal(r) {
		differ = append(differ, "secret_scanning_delegated_bypass_reviewers")
		m.SecretScanningDelegatedBypassReviewers = r
	}
	if !plan.UpdatedAt.IsUnknown() {
		m.UpdatedAt = plan.UpdatedAt
	}
	if len(differ) > 0 {
		diags.AddWarning("GitHub holds other settings than the plan said",
			"GitHub's answer differs from the plan ("+strings.Join(differ, "; ")+"). The state records the plan for now; the next refresh records what GitHub holds "+
				"and the next plan shows it. GitHub may derive one setting from another (for example a dependent feature turned off with the feature it needs): "+
				"set both in the configuration.")
	}
}

// addConfigurationError is addClientError with the attribute of a setting the server lacks.
func addConfigurationError(diags *diag.Diagnostics, summary string, err error) {
	var u *githubclient.ConfigurationSettingUnavailableError
	if errors.As(err, &u) {
		addSettingUnavailable(diags, summary, u)
		return
	}
	addClientError(diags, summary, err)
}

func timeOrNull(t *time.Time) types.String {
	if t == nil {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339))
}
