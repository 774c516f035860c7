package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
	"github.com/codescanning/terraform-provider-codescanning/internal/provider/validators"
)

var (
	_ resource.ResourceWithConfigure      = &defaultSetupResource{}
	_ resource.ResourceWithImportState    = &defaultSetupResource{}
	_ resource.ResourceWithModifyPlan     = &defaultSetupResource{}
	_ resource.ResourceWithValidateConfig = &defaultSetupResource{}
)

// The values GitHub accepts in a default setup PATCH (its OpenAPI description's request body).
var (
	defaultSetupStates       = []string{githubclient.StateConfigured, githubclient.StateNotConfigured}
	defaultSetupLanguages    = []string{"actions", "c-cpp", "csharp", "go", "java-kotlin", "javascript-typescript", "python", "ruby", "swift"}
	defaultSetupQuerySuites  = []string{"default", "extended"}
	defaultSetupThreatModels = []string{"remote", "remote_and_local"}
	defaultSetupRunnerTypes  = []string{"standard", "labeled"}
)

const (
	defaultSetupCreateTimeout = 30 * time.Minute
	defaultSetupUpdateTimeout = 30 * time.Minute
	defaultSetupDeleteTimeout = 30 * time.Minute
	defaultSetupReadTimeout   = 5 * time.Minute
)

// NewDefaultSetupResource is the codescanning_default_setup resource.
func NewDefaultSetupResource() resource.Resource {
	return &defaultSetupResource{}
}

type defaultSetupResource struct {
	data *providerData
}

type defaultSetupModel struct {
	ID         types.String `tfsdk:"id"`
	Repository types.String `tfsdk:"repository"`
	defaultSetupSettings
	WaitForRun types.Bool     `tfsdk:"wait_for_run"`
	RunID      types.Int64    `tfsdk:"run_id"`
	RunURL     types.String   `tfsdk:"run_url"`
	RunHTMLURL types.String   `tfsdk:"run_html_url"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
}

func (r *defaultSetupResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_default_setup"
}

func (r *defaultSetupResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages a repository's CodeQL code scanning **default setup**: whether it is on, which languages it " +
			"analyzes, its query suite, threat model and runners. Each change starts a run on GitHub; by default the " +
			"resource waits for that run to succeed. Destroying the resource turns default setup off. A create that GitHub has accepted " +
			"never fails (Terraform would taint the resource and the next apply would turn default setup off and on): a failed or " +
			"unfinished run, or an interrupted apply, is a warning, and the next plan shows what GitHub holds as an update.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The repository as `owner/name`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"repository": schema.StringAttribute{
				MarkdownDescription: "Repository as `owner/name`, or `name` when the provider's `owner` is set. Changing it moves management to another repository (replace).",
				Required:            true,
				Validators:          repositoryValidators,
			},
			"state": schema.StringAttribute{
				MarkdownDescription: "`configured` (default) turns default setup on; `not-configured` keeps it off.",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(githubclient.StateConfigured),
				Validators:          []validator.String{stringvalidator.OneOf(defaultSetupStates...)},
			},
			"languages": schema.SetAttribute{
				MarkdownDescription: "CodeQL languages to analyze, one of `" + strings.Join(defaultSetupLanguages, "`, `") + "`. " +
					"GitHub analyzes JavaScript with TypeScript, Java with Kotlin and C with C++ as one language each: write `javascript-typescript`, `java-kotlin` and `c-cpp`, not the old names. " +
					"Omit it to let GitHub choose the languages it detects in the repository. GitHub may report JavaScript and TypeScript as `javascript` and `typescript`; " +
					"both read as `javascript-typescript`, so a configuration naming it shows no difference.",
				ElementType: types.StringType,
				Optional:    true,
				Computed:    true,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(validators.Language(defaultSetupLanguages)),
				},
			},
			"query_suite": schema.StringAttribute{
				MarkdownDescription: "CodeQL query suite: `default` or `extended`. GitHub's choice (`default`) when omitted.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.OneOf(defaultSetupQuerySuites...)},
			},
			"threat_model": schema.StringAttribute{
				MarkdownDescription: "Threat model: `remote` (network sources only) or `remote_and_local` (also files, command-line arguments, environment, databases, standard input). Never sent when omitted, so servers without threat models (GHES 3.17) work.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.OneOf(defaultSetupThreatModels...)},
			},
			"runner_type": schema.StringAttribute{
				MarkdownDescription: "Runners for the analysis: `standard` (GitHub-hosted) or `labeled` (self-hosted runners with `runner_label`).",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.OneOf(defaultSetupRunnerTypes...)},
			},
			"runner_label": schema.StringAttribute{
				MarkdownDescription: "Label of the self-hosted runners to use. Only with `runner_type = \"labeled\"`, which requires it.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"wait_for_run": schema.BoolAttribute{
				MarkdownDescription: "Wait for the run each change starts to complete successfully (default `true`). With `false`, apply returns once GitHub has accepted the change and records the run's id and URL: an organization-wide rollout then need not wait for every first analysis. While that run is under way, a refresh keeps the configuration it applies even where GitHub still shows the old one; if it fails, the next refresh warns, naming the run, and shows what GitHub dropped. GitHub never sees this setting: changing only it (or `timeouts`) sends no request.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
			},
			"schedule": schema.StringAttribute{
				MarkdownDescription: "How often GitHub analyzes the default branch besides pushes and pull requests (`weekly`), as GitHub reports it.",
				Computed:            true,
			},
			"updated_at": schema.StringAttribute{
				MarkdownDescription: "When the configuration last changed, as GitHub reports it (RFC 3339).",
				Computed:            true,
			},
			"run_id": schema.Int64Attribute{
				MarkdownDescription: "ID of the run GitHub started for the last change this resource made; unchanged when GitHub had nothing to do.",
				Computed:            true,
			},
			"run_url": schema.StringAttribute{
				MarkdownDescription: "API URL of that run, for API clients; a person opens `run_html_url`.",
				Computed:            true,
			},
			"run_html_url": schema.StringAttribute{
				MarkdownDescription: "Web link of that run, to open in a browser: GitHub's `html_url` when the provider read the run, else built from the API address " +
					"for github.com, GHE.com and GitHub Enterprise Server (null behind a proxy whose web address the provider cannot know).",
				Computed: true,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{
				Create: true, Update: true, Delete: true, Read: true,
				CreateDescription: "How long turning default setup on may take: the change, waiting out another run GitHub is validating, and the run it starts " +
					"(with `wait_for_run`), rate-limit waits included. A duration such as `\"45m\"`; defaults to `" + terraformDuration(defaultSetupCreateTimeout) + "`.",
				UpdateDescription: "How long a change may take, as for `create`; defaults to `" + terraformDuration(defaultSetupUpdateTimeout) + "`.",
				DeleteDescription: "How long turning default setup off may take, its run included (with `wait_for_run`); defaults to `" + terraformDuration(defaultSetupDeleteTimeout) + "`.",
				ReadDescription: "How long a refresh may take; defaults to `" + terraformDuration(defaultSetupReadTimeout) + "`. " +
					"The read that records the state after a change has `" + terraformDuration(defaultSetupReadTimeout) + "` of its own, so a change that used up its time is still recorded.",
			}),
		},
	}
}

func (r *defaultSetupResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig checks what the schema alone cannot: settings that only make sense together.
func (r *defaultSetupResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var config defaultSetupModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if config.State.ValueString() == githubclient.StateNotConfigured {
		set := map[string]bool{
			"languages": !config.Languages.IsNull(), "query_suite": !config.QuerySuite.IsNull(), "threat_model": !config.ThreatModel.IsNull(),
			"runner_type": !config.RunnerType.IsNull(), "runner_label": !config.RunnerLabel.IsNull(),
		}
		for _, name := range slices.Sorted(maps.Keys(set)) {
			if set[name] {
				resp.Diagnostics.AddAttributeError(path.Root(name), "Setting has no effect while default setup is off",
					fmt.Sprintf("%s only applies with state = %q. Remove it, or set state = %q.", name, githubclient.StateConfigured, githubclient.StateConfigured))
			}
		}
	}
	if config.RunnerType.IsUnknown() || config.RunnerLabel.IsUnknown() {
		return
	}
	labeled := config.RunnerType.ValueString() == "labeled"
	switch {
	case !config.RunnerLabel.IsNull() && !labeled:
		resp.Diagnostics.AddAttributeError(path.Root("runner_label"), "runner_label needs runner_type = \"labeled\"",
			"GitHub uses a runner label only for self-hosted runners. Set runner_type = \"labeled\", or remove runner_label.")
	case labeled && config.RunnerLabel.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("runner_label"), "runner_type = \"labeled\" needs runner_label",
			"Set runner_label to the label of the self-hosted runners that should run the analysis, or set runner_type = \"standard\".")
	}
}

// ModifyPlan keeps plans quiet and honest: a bare repository name that means the same repository
// as the state is no change, and values GitHub chose stay as they are while default setup stays
// on and the configuration leaves them to GitHub.
func (r *defaultSetupResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan, state, config defaultSetupModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	checkPlannedRepository(ctx, r.data, plan.Repository, &resp.Diagnostics)
	if req.State.Raw.IsNull() || resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	planRepository(r.data, &plan.Repository, state.Repository, resp)

	staysConfigured := state.State.ValueString() == githubclient.StateConfigured && plan.State.ValueString() == githubclient.StateConfigured
	if staysConfigured {
		// A choice the state has none of (read while a run was still applying the setup) is
		// left unknown: GitHub makes it as the run ends.
		if config.Languages.IsNull() && len(state.Languages.Elements()) > 0 {
			plan.Languages = state.Languages
		}
		keepChosen(&plan.QuerySuite, config.QuerySuite, state.QuerySuite)
		keepChosen(&plan.ThreatModel, config.ThreatModel, state.ThreatModel)
		keepChosen(&plan.RunnerType, config.RunnerType, state.RunnerType)
		if plan.RunnerType.Equal(state.RunnerType) {
			keepIfUnset(&plan.RunnerLabel, config.RunnerLabel, state.RunnerLabel)
		}
		// GitHub analyzes weekly as long as default setup is on; only turning it on or off
		// changes the schedule.
		keepChosen(&plan.Schedule, types.StringNull(), state.Schedule)
	}
	// A label means something only to labeled runners: leaving them drops it.
	if config.RunnerLabel.IsNull() && !plan.RunnerType.IsUnknown() && !plan.RunnerType.IsNull() && plan.RunnerType.ValueString() != "labeled" {
		plan.RunnerLabel = types.StringNull()
	}
	if plan.State.ValueString() == githubclient.StateNotConfigured && state.State.ValueString() == githubclient.StateNotConfigured {
		plan.Languages, plan.QuerySuite, plan.ThreatModel, plan.RunnerType, plan.RunnerLabel = state.Languages, state.QuerySuite, state.ThreatModel, state.RunnerType, state.RunnerLabel
	}
	// The framework marks computed values unknown as soon as any attribute differs, before this
	// runs; when the differences above turned out to be none, or only ones GitHub never sees
	// (wait_for_run, timeouts), nothing will change on GitHub.
	if plan.asksGitHubSameAs(state) {
		plan.Schedule, plan.UpdatedAt, plan.RunID, plan.RunURL, plan.RunHTMLURL = state.Schedule, state.UpdatedAt, state.RunID, state.RunURL, state.RunHTMLURL
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// asksGitHubSameAs reports whether m asks GitHub for exactly what other records: they may differ
// only in what the provider alone reads (wait_for_run, timeouts).
func (m defaultSetupModel) asksGitHubSameAs(other defaultSetupModel) bool {
	return m.Repository.Equal(other.Repository) && m.State.Equal(other.State) && m.Languages.Equal(other.Languages) &&
		m.QuerySuite.Equal(other.QuerySuite) && m.ThreatModel.Equal(other.ThreatModel) && m.RunnerType.Equal(other.RunnerType) &&
		m.RunnerLabel.Equal(other.RunnerLabel)
}

// keepChosen keeps GitHub's choice from the state while the configuration leaves it unset.
func keepChosen(planned *types.String, configured, prior types.String) {
	if configured.IsNull() && !prior.IsNull() {
		*planned = prior
	}
}

func keepIfUnset(planned *types.String, configured, prior types.String) {
	if configured.IsNull() {
		*planned = prior
	}
}

func (r *defaultSetupResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, config defaultSetupModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	ctx, repo, done, ok := startOperation(ctx, r.data, req.Plan, &plan, timeouts.Value.Create, defaultSetupCreateTimeout, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	r.apply(ctx, repo, plan, config, nil, &resp.State, resp.Private, &resp.Diagnostics)
}

func (r *defaultSetupResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, config, prior defaultSetupModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	ctx, repo, done, ok := startOperation(ctx, r.data, req.Plan, &plan, timeouts.Value.Update, defaultSetupUpdateTimeout, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	if plan.asksGitHubSameAs(prior) {
		// Only wait_for_run or timeouts changed: GitHub never sees them, so no request is sent
		// and no run started.
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	r.apply(ctx, repo, plan, config, &prior, &resp.State, resp.Private, &resp.Diagnostics)
}

func (r *defaultSetupResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state defaultSetupModel
	ctx, repo, done, ok := startOperation(ctx, r.data, req.State, &state, timeouts.Value.Read, defaultSetupReadTimeout, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	current, err := r.data.client.GetDefaultSetup(ctx, repo)
	if githubclient.IsNotFound(err) {
		warnNotFound(ctx, r.data.client, repo, defaultSetupNotFound(repo), false, &resp.Diagnostics)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addClientError(&resp.Diagnostics, "Cannot read code scanning default setup of "+repo.String(), err)
		return
	}
	state.ID = types.StringValue(repo.String())
	if state.WaitForRun.IsNull() {
		state.WaitForRun = types.BoolValue(true)
	}
	prior := state
	resp.Diagnostics.Append(state.setFromGitHub(ctx, current)...)
	r.explainDifference(ctx, repo, prior, &state, resp.Private, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *defaultSetupResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state defaultSetupModel
	ctx, repo, done, ok := startOperation(ctx, r.data, req.State, &state, timeouts.Value.Delete, defaultSetupDeleteTimeout, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	off := githubclient.DefaultSetupUpdate{State: githubclient.StateNotConfigured}
	run, err := r.data.client.UpdateDefaultSetup(ctx, repo, off)
	if githubclient.IsNotFound(err) {
		warnNotFound(ctx, r.data.client, repo, defaultSetupNotFound(repo), true, &resp.Diagnostics)
		return
	}
	if rc := owningConfiguration(ctx, r.data.client, repo, err); rc != nil {
		// Destroy stops managing it here; the configuration goes on managing it. Failing would
		// leave the resource undeletable while the configuration is attached.
		resp.Diagnostics.AddWarning("Code scanning default setup of "+repo.String()+" stays as its configuration sets it",
			"Destroy did not turn default setup off: "+configurationOwnsSetup(repo, rc)+"\n\nOriginal Error: "+err.Error())
		return
	}
	if err != nil {
		addClientError(&resp.Diagnostics, "Cannot turn off code scanning default setup of "+repo.String(), err)
		return
	}
	if run != nil && !state.WaitForRun.Equal(types.BoolValue(false)) {
		if _, err := r.data.client.WaitForDefaultSetupRun(ctx, repo, *run, off); err != nil {
			addClientError(&resp.Diagnostics, "Turning off code scanning default setup of "+repo.String()+" did not complete", err)
		}
	}
}

// defaultSetupNotFound is what a 404 for a repository's default setup may mean.
func defaultSetupNotFound(repo githubclient.Repository) notFound {
	return notFound{
		what:      "code scanning default setup",
		leaves:    "keeps its default setup as it is (destroy did not turn it off)",
		permitted: "the token may not read or change code scanning settings (a fine-grained token or GitHub App needs the repository permission Administration, read to read and write to change; a classic token the repo scope)",
		importID:  repo.String(),
	}
}

func (r *defaultSetupResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	repo, err := resolveImportRepository(r.data, req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", "Import a default setup by its repository, written owner/name (for example octo-org/service), or name when the provider's owner is set.\n\nOriginal Error: "+err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), repo.String())...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("repository"), repo.String())...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("wait_for_run"), true)...)
}

// desiredUpdate is the PATCH body for a configuration: only what the configuration sets, so that
// GitHub keeps choosing the rest.
func desiredUpdate(ctx context.Context, config defaultSetupModel) (githubclient.DefaultSetupUpdate, diag.Diagnostics) {
	update := githubclient.DefaultSetupUpdate{State: config.State.ValueString()}
	if update.State == "" {
		update.State = githubclient.StateConfigured
	}
	if update.State == githubclient.StateNotConfigured {
		return update, nil
	}
	var diags diag.Diagnostics
	if !config.Languages.IsNull() && !config.Languages.IsUnknown() {
		diags.Append(config.Languages.ElementsAs(ctx, &update.Languages, false)...)
		slices.Sort(update.Languages)
	}
	update.QuerySuite = config.QuerySuite.ValueString()
	update.ThreatModel = config.ThreatModel.ValueString()
	update.RunnerType = config.RunnerType.ValueString()
	switch update.RunnerType {
	case "labeled":
		update.RunnerLabel = config.RunnerLabel.ValueString()
	case "standard":
		// GitHub does not document whether leaving labeled runners drops their label: say so.
		update.ClearRunnerLabel = true
	}
	return update, diags
}

// keepConfigured puts back the values the configuration asked for, over what GitHub showed.
func keepConfigured(result *defaultSetupModel, plan defaultSetupModel) {
	for _, pair := range []struct{ got, want *types.String }{
		{&result.State, &plan.State}, {&result.QuerySuite, &plan.QuerySuite}, {&result.ThreatModel, &plan.ThreatModel},
		{&result.RunnerType, &plan.RunnerType}, {&result.RunnerLabel, &plan.RunnerLabel},
	} {
		if !pair.want.IsUnknown() {
			*pair.got = *pair.want
		}
	}
	if !plan.Languages.IsUnknown() {
		result.Languages = plan.Languages
	}
}

func attributeString(m defaultSetupModel, name string) string {
	switch name {
	case "state":
		return m.State.String()
	case "languages":
		return m.Languages.String()
	case "query_suite":
		return m.QuerySuite.String()
	case "threat_model":
		return m.ThreatModel.String()
	case "runner_type":
		return m.RunnerType.String()
	case "runner_label":
		return m.RunnerLabel.String()
	}
	return ""
}
