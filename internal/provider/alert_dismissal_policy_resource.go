package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
	"github.com/codescanning/terraform-provider-codescanning/internal/provider/validators"
)

var (
	_ resource.ResourceWithConfigure        = &alertDismissalPolicyResource{}
	_ resource.ResourceWithImportState      = &alertDismissalPolicyResource{}
	_ resource.ResourceWithModifyPlan       = &alertDismissalPolicyResource{}
	_ resource.ResourceWithConfigValidators = &alertDismissalPolicyResource{}
	_ resource.ResourceWithValidateConfig   = &alertDismissalPolicyResource{}
)

// NewAlertDismissalPolicyResource is the codescanning_alert_dismissal_policy resource: every
// alert that matches a rule, now and later, dismissed without a resource per alert (issue 16).
// What it matches and which dismissals are its own: alert_dismissal_policy_match.go. Its
// changes on GitHub: alert_dismissal_policy_apply.go.
func NewAlertDismissalPolicyResource() resource.Resource {
	return &alertDismissalPolicyResource{}
}

type alertDismissalPolicyResource struct {
	data *providerData
}

type alertDismissalPolicyModel struct {
	ID              types.String `tfsdk:"id"`
	Name            types.String `tfsdk:"name"`
	Repository      types.String `tfsdk:"repository"`
	Organization    types.String `tfsdk:"organization"`
	RuleIDs         types.Set    `tfsdk:"rule_ids"`
	ToolName        types.String `tfsdk:"tool_name"`
	Severity        types.String `tfsdk:"severity"`
	Paths           types.Set    `tfsdk:"paths"`
	Ref             types.String `tfsdk:"ref"`
	Reason          types.String `tfsdk:"reason"`
	Comment         types.String `tfsdk:"comment"`
	DismissReopened types.Bool   `tfsdk:"dismiss_reopened"`
	Pending         types.Map    `tfsdk:"pending"`
	Dismissed       types.Map    `tfsdk:"dismissed"`
	Reopened        types.Map    `tfsdk:"reopened"`
}

// alertNumbersType is the type of pending, dismissed and reopened: repository to alert numbers.
var alertNumbersType = types.ListType{ElemType: types.Int64Type}

// policySeverities are the severities GitHub's alert list filters by.
var policySeverities = []string{"critical", "high", "medium", "low", "warning", "note", "error"}

func (r *alertDismissalPolicyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_alert_dismissal_policy"
}

func (r *alertDismissalPolicyResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	numbers := func(desc string) schema.Attribute {
		return schema.MapAttribute{MarkdownDescription: desc, ElementType: alertNumbersType, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Dismisses every open code scanning alert that matches a policy, in a repository or an organization: those there are and those that arrive later, " +
			"without a resource per alert. The plan lists the alerts an apply will dismiss (`pending`, or a warning for a new policy), so a reviewer sees them; a refresh finds newly matching alerts, " +
			"so a scheduled `terraform plan -detailed-exitcode` exits 2 when there are some. The policy's dismissal comments end with a marker, `[tf-policy:NAME]`, " +
			"by which it tells its own dismissals from a person's: it never replaces or reopens a person's dismissal, and does not dismiss again an alert a person " +
			"reopened after it dismissed it (unless `dismiss_reopened`). Destroying the policy, or narrowing it, reopens the alerts it dismissed that are still dismissed " +
			"with its marker and reason.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`owner/name:NAME` or `organization:NAME`, which is also the import ID.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The policy's name, unique within its scope: letters, digits, `.`, `_` and `-`, at most 64. It is in the marker `[tf-policy:NAME]` " +
					"that ends the policy's dismissal comments, so changing it dismisses the policy's alerts again under the new name, as a new `comment` does.",
				Required:   true,
				Validators: []validator.String{stringvalidator.RegexMatches(policyNamePattern, "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit")},
			},
			"repository": schema.StringAttribute{
				MarkdownDescription: "Repository as `owner/name`, or `name` with the provider's `owner`. Exactly one of `repository` and `organization`; changing it replaces the policy.",
				Optional:            true,
				Validators:          repositoryValidators,
			},
			"organization": schema.StringAttribute{
				MarkdownDescription: "Organization whose repositories' alerts the policy dismisses (those the token can see, through the organization's alert list). " +
					"Exactly one of `repository` and `organization`; changing it replaces the policy.",
				Optional:      true,
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"rule_ids": schema.SetAttribute{
				MarkdownDescription: "Rule IDs to match, as globs: `*` matches within a `/`-separated segment, `**` any number of segments (`js/*`, `go/sql-injection`). Any of them matches.",
				ElementType:         types.StringType,
				Optional:            true,
				Validators:          []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(globValidator{what: "rule ID glob"})},
			},
			"tool_name": schema.StringAttribute{
				MarkdownDescription: "Only alerts of this tool, e.g. `CodeQL` (GitHub filters by it).",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"severity": schema.StringAttribute{
				MarkdownDescription: "Only alerts of this severity: `critical`, `high`, `medium`, `low` (security severity) or `warning`, `note`, `error` (rule severity). GitHub filters by it.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(policySeverities...)},
			},
			"paths": schema.SetAttribute{
				MarkdownDescription: "Path globs, relative to the repository root, matched against the location of the alert's most recent instance: " +
					"`test/**`, `**/vendor/**`, `**/*_test.go`. `*` never crosses a `/`; `**` is a whole segment matching any number of segments. Any of them matches.",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(globValidator{what: "path glob", path: true})},
			},
			"ref": schema.StringAttribute{
				MarkdownDescription: "Only alerts on this Git reference (`refs/heads/BRANCH`); GitHub's default is the default branch. Repository only.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"reason": schema.StringAttribute{
				MarkdownDescription: "Why the alerts are dismissed: `false positive`, `won't fix`, `used in tests` or `mitigated`, with spaces as GitHub writes them. " +
					"Changing it (or `comment`) dismisses the policy's alerts again with the new one.",
				Required:   true,
				Validators: []validator.String{validators.DismissalReason()},
			},
			"comment": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("The dismissal comment, to which the provider appends the marker `[tf-policy:NAME]`: together at most %d characters.", githubclient.MaxDismissalComment),
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"dismiss_reopened": schema.BoolAttribute{
				MarkdownDescription: "Dismiss again the alerts a person reopened after the policy dismissed them. By default (`false`) a reopening is a person's decision: " +
					"the alert is listed in `reopened` and left open. With `true` they are `pending`, and the plan shows them.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"pending": numbers("Open alerts that match, by repository, that the apply dismisses: known when planning, so the plan shows them " +
				"(for a new policy, or a change of what it matches, known after apply, and a warning in the plan lists them). " +
				"After an apply, the alerts it dismissed, until the next refresh lists those still pending (none, or newly matching ones)."),
			"dismissed": numbers("Alerts dismissed by this policy, by repository: dismissed with its marker. The plan adds the pending alerts; " +
				"a number that leaves it in a plan (the policy no longer matches the alert) is reopened by the apply."),
			"reopened": numbers("Alerts the policy dismissed that a person reopened, by repository, while they still match. They stay open unless `dismiss_reopened` is set."),
		},
	}
}

func (r *alertDismissalPolicyResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("repository"), path.MatchRoot("organization")),
		resourcevalidator.AtLeastOneOf(path.MatchRoot("rule_ids"), path.MatchRoot("paths"), path.MatchRoot("tool_name"), path.MatchRoot("severity")),
	}
}

// ValidateConfig refuses a ref in the organization form and a comment that leaves no room for
// the marker.
func (r *alertDismissalPolicyResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var config alertDismissalPolicyModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !config.Organization.IsNull() && !config.Ref.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("ref"), "ref needs a repository",
			"GitHub's organization alert list has no ref filter: it lists the default branch. Use repository instead of organization, or remove ref.")
	}
	if config.Name.IsUnknown() || config.Comment.IsUnknown() || config.Comment.IsNull() {
		return
	}
	name, comment := config.Name.ValueString(), config.Comment.ValueString()
	if limit := maxPolicyComment(name); len([]rune(comment)) > limit {
		resp.Diagnostics.AddAttributeError(path.Root("comment"), "Dismissal comment too long",
			fmt.Sprintf("The comment has %d characters; with the marker %q the provider appends, GitHub's limit of %d leaves %d for this policy. Shorten the comment (or the policy's name).",
				len([]rune(comment)), policyMarker(name), githubclient.MaxDismissalComment, limit))
	}
	if strings.Contains(comment, policyMarkerPrefix) {
		resp.Diagnostics.AddAttributeError(path.Root("comment"), "Dismissal comment carries a policy marker",
			"The provider appends the policy's marker itself; remove "+policyMarkerPrefix+"...] from the comment.")
	}
}

func (r *alertDismissalPolicyResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// settings reads what decides the policy's outcome from a plan or state.
func (m alertDismissalPolicyModel) settings(ctx context.Context) (policySettings, diag.Diagnostics) {
	var diags diag.Diagnostics
	s := policySettings{
		name:            m.Name.ValueString(),
		dismissReopened: m.DismissReopened.ValueBool(),
		match:           policyMatch{toolName: m.ToolName.ValueString(), severity: m.Severity.ValueString(), ref: m.Ref.ValueString()},
	}
	if !m.RuleIDs.IsNull() {
		diags.Append(m.RuleIDs.ElementsAs(ctx, &s.match.ruleIDs, false)...)
	}
	if !m.Paths.IsNull() {
		diags.Append(m.Paths.ElementsAs(ctx, &s.match.paths, false)...)
	}
	return s, diags
}

// outcome reads the three sets from a plan or state; unknown or null sets are empty.
func (m alertDismissalPolicyModel) outcome(ctx context.Context) (policyOutcome, diag.Diagnostics) {
	var diags diag.Diagnostics
	read := func(v types.Map) alertNumbers {
		n := alertNumbers{}
		if v.IsNull() || v.IsUnknown() {
			return n
		}
		var raw map[string][]int64
		diags.Append(v.ElementsAs(ctx, &raw, false)...)
		for repo, numbers := range raw {
			for _, number := range numbers {
				n.add(repo, int(number))
			}
		}
		return n
	}
	return policyOutcome{pending: read(m.Pending), dismissed: read(m.Dismissed), reopened: read(m.Reopened)}, diags
}

// setOutcome writes the three sets into the model.
func (m *alertDismissalPolicyModel) setOutcome(out policyOutcome) {
	m.Pending, m.Dismissed, m.Reopened = out.pending.value(), out.dismissed.value(), out.reopened.value()
}

// value is n as Terraform holds it: a map of sorted lists of numbers.
func (n alertNumbers) value() types.Map {
	elements := make(map[string]attr.Value, len(n))
	for _, repo := range slices.Sorted(maps.Keys(n)) {
		if len(n[repo]) == 0 {
			continue
		}
		values := make([]attr.Value, len(n[repo]))
		for i, number := range n[repo] {
			values[i] = types.Int64Value(int64(number))
		}
		elements[repo] = types.ListValueMust(types.Int64Type, values)
	}
	return types.MapValueMust(alertNumbersType, elements)
}

// ModifyPlan shows the alerts the apply dismisses (pending), the ones the policy keeps or
// reopens (dismissed), and the ones a person reopened (reopened). A policy that matches as its
// state does is planned from the state, which the refresh has just read from GitHub: Terraform
// plans again at apply time, and that plan must be the same however GitHub changed meanwhile
// (an alert arriving after the plan waits for the next one). A create, or a change of what the
// policy matches, lists the alerts as the plan matches them.
func (r *alertDismissalPolicyResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return
	}
	var plan alertDismissalPolicyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	checkPlannedRepository(ctx, r.data, plan.Repository, &resp.Diagnostics)
	var state *alertDismissalPolicyModel
	if !req.State.Raw.IsNull() {
		state = &alertDismissalPolicyModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		planRepository(r.data, &plan.Repository, state.Repository, resp)
		if len(resp.RequiresReplace) > 0 || !plan.Organization.Equal(state.Organization) {
			state = nil // replaced: the new policy holds nothing yet
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if plan.hasUnknownMatch() {
		// Known at apply only: the plan cannot list what the policy will match.
		plan.ID = types.StringUnknown()
		plan.Pending, plan.Dismissed, plan.Reopened = types.MapUnknown(alertNumbersType), types.MapUnknown(alertNumbersType), types.MapUnknown(alertNumbersType)
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	scope, ok := resolvePolicyScope(ctx, r.data, plan.Repository, plan.Organization, &resp.Diagnostics)
	settings, d := plan.settings(ctx)
	resp.Diagnostics.Append(d...)
	prior := policyOutcome{}
	if state != nil {
		prior, d = state.outcome(ctx)
		resp.Diagnostics.Append(d...)
	}
	if !ok || resp.Diagnostics.HasError() {
		return
	}
	plan.ID = types.StringValue(policyID(scope, settings.name))
	if state != nil && plan.matchesAs(*state) {
		plan.setOutcome(prior.planned(settings.dismissReopened))
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	view, fresh := r.data.policyViews.take(policyViewKey(scope, settings.match))
	if !fresh {
		var err error
		if view, err = scope.view(ctx, r.data.client, settings.match, true); err != nil {
			addClientError(&resp.Diagnostics, fmt.Sprintf("Cannot list the code scanning alerts of %s to plan the dismissal policy %q", scope, settings.name), err)
			return
		}
	}
	// Known values here would have to be what the plan at apply time lists again, and any
	// change on GitHub in between (an alert arriving, another resource dismissing one) would
	// fail the apply as an inconsistent plan. So they are known after apply, and the plan says
	// in a warning what the apply would do if GitHub stayed as it is.
	addPlannedChangeWarning(&resp.Diagnostics, settings.name, settings.plannedFrom(view, prior, state == nil), prior)
	plan.Pending, plan.Dismissed, plan.Reopened = types.MapUnknown(alertNumbersType), types.MapUnknown(alertNumbersType), types.MapUnknown(alertNumbersType)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// addPlannedChangeWarning says, for a plan whose alerts are known after apply, which alerts the
// apply dismisses and reopens as GitHub shows them now.
func addPlannedChangeWarning(diags *diag.Diagnostics, name string, planned, prior policyOutcome) {
	reopens := prior.dismissed.minus(planned.dismissed)
	if planned.pending.count() == 0 && reopens.count() == 0 {
		return
	}
	detail := fmt.Sprintf("As GitHub shows them now, the apply dismisses %d alerts", planned.pending.count())
	if planned.pending.count() > 0 {
		detail += ": " + limitedNumbers(planned.pending, 200)
	}
	if reopens.count() > 0 {
		detail += fmt.Sprintf(".\n\nIt reopens %d alerts it dismissed that it no longer matches (those still dismissed with its marker and reason): %s", reopens.count(), limitedNumbers(reopens, 200))
	}
	detail += ".\n\nThe policy's pending and dismissed alerts are known after apply: a new or changed policy lists them when it is applied, " +
		"so an alert that matches by then is dismissed too. Once applied, each plan shows them."
	diags.AddWarning(fmt.Sprintf("The dismissal policy %q dismisses %d alerts and reopens %d", name, planned.pending.count(), reopens.count()), detail)
}

// limitedNumbers is n as text, cut after limit numbers with a count of the rest.
func limitedNumbers(n alertNumbers, limit int) string {
	if n.count() <= limit {
		return n.String()
	}
	cut := alertNumbers{}
	for repo, number := range each(n) {
		if cut.count() == limit {
			break
		}
		cut.add(repo, number)
	}
	return fmt.Sprintf("%s and %d more", cut, n.count()-limit)
}

// matchesAs reports whether m matches what the policy in state matches, so that the state's
// refreshed outcome is m's too.
func (m alertDismissalPolicyModel) matchesAs(state alertDismissalPolicyModel) bool {
	return m.RuleIDs.Equal(state.RuleIDs) && m.Paths.Equal(state.Paths) && m.ToolName.Equal(state.ToolName) &&
		m.Severity.Equal(state.Severity) && m.Ref.Equal(state.Ref)
}

// hasUnknownMatch reports whether anything the plan's listing depends on is unknown.
func (m alertDismissalPolicyModel) hasUnknownMatch() bool {
	for _, v := range []attr.Value{m.Name, m.Repository, m.Organization, m.RuleIDs, m.ToolName, m.Severity, m.Paths, m.Ref, m.DismissReopened} {
		if v.IsUnknown() {
			return true
		}
	}
	return false
}

func (r *alertDismissalPolicyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan alertDismissalPolicyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.apply(ctx, plan, nil, &resp.State, &resp.Diagnostics)
}

func (r *alertDismissalPolicyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior alertDismissalPolicyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.apply(ctx, plan, &prior, &resp.State, &resp.Diagnostics)
}

func (r *alertDismissalPolicyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state alertDismissalPolicyModel
	scope, ok := r.stateScope(ctx, req.State, &state, &resp.Diagnostics)
	if !ok {
		return
	}
	settings, d := state.settings(ctx)
	resp.Diagnostics.Append(d...)
	prior, d := state.outcome(ctx)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	view, err := scope.view(ctx, r.data.client, settings.match, settings.match.any() || prior.count() > 0)
	if githubclient.IsNotFound(err) && scope.org == "" {
		warnNotFound(ctx, r.data.client, scope.repo, notFound{
			what: "code scanning alerts", leaves: "keeps the policy's dismissals as they are",
			permitted: "the token may not read alerts (a fine-grained token or GitHub App needs Code scanning alerts: read; a classic token the security_events or repo scope)",
			importID:  policyID(scope, settings.name),
		}, false, &resp.Diagnostics)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addClientError(&resp.Diagnostics, fmt.Sprintf("Cannot list the code scanning alerts of %s for the dismissal policy %q", scope, settings.name), err)
		return
	}
	if settings.match.any() {
		r.data.policyViews.put(policyViewKey(scope, settings.match), view)
	}
	state.ID = types.StringValue(policyID(scope, settings.name))
	state.setOutcome(settings.evaluate(view, prior))
	if state.Reason.IsNull() {
		// Imported: the reason and comment are what the policy's dismissals say.
		state.Reason, state.Comment = importedDismissal(view, settings.name)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// stateScope reads the policy's state and resolves its scope, as Read and Delete both begin;
// ok is false when either failed, and the diagnostics say which.
func (r *alertDismissalPolicyResource) stateScope(ctx context.Context, from tfsdk.State, state *alertDismissalPolicyModel, diags *diag.Diagnostics) (policyScope, bool) {
	diags.Append(from.Get(ctx, state)...)
	if diags.HasError() {
		return policyScope{}, false
	}
	return resolvePolicyScope(ctx, r.data, state.Repository, state.Organization, diags)
}

// count is how many alerts the outcome names.
func (o policyOutcome) count() int {
	return o.pending.count() + o.dismissed.count() + o.reopened.count()
}

// importedDismissal reads an imported policy's reason and comment from the first of its
// dismissals; null when it has none.
func importedDismissal(view policyView, name string) (reason, comment types.String) {
	for i := range view.dismissed {
		a := &view.dismissed[i].alert
		if !dismissedByPolicy(a, name) {
			continue
		}
		text := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(*a.DismissedComment), policyMarker(name)))
		comment = types.StringNull()
		if text != "" {
			comment = types.StringValue(text)
		}
		return types.StringPointerValue(a.DismissedReason), comment
	}
	return types.StringNull(), types.StringNull()
}

func (r *alertDismissalPolicyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	repository, organization, name, err := parsePolicyID(req.ID)
	if err != nil {
		detail := fmt.Sprintf("Import a dismissal policy as owner/name:POLICY for a repository (octo-org/service:tests-and-vendor) or ORGANIZATION:POLICY for an organization (octo-org:tests-and-vendor); got %q.", req.ID)
		if !errors.Is(err, errPolicyIDForm) {
			detail += "\n\nOriginal Error: " + err.Error()
		}
		resp.Diagnostics.AddError("Invalid import ID", detail)
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), name)...)
	if repository != "" {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("repository"), repository)...)
	} else {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("organization"), organization)...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("dismiss_reopened"), false)...)
}

// globValidator checks a rule ID or path glob at plan time.
type globValidator struct {
	what string
	path bool
}

func (v globValidator) Description(context.Context) string {
	return "a " + v.what + ": * within a segment, ** a whole segment"
}

func (v globValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v globValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkPathGlob(req.ConfigValue.ValueString()); err != nil {
		detail := err.Error()
		if !v.path {
			detail = strings.Replace(detail, "a path glob is relative to the repository root, like test/** or **/vendor/**", "a rule ID glob looks like js/* or go/sql-injection", 1)
		}
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+v.what, detail)
	}
}

// withoutPolicyMarker refuses, in codescanning_alert_dismissal's comment, the marker a dismissal
// policy's comments end with: a dismissal carrying it would be taken for the policy's, which
// the policy reopens when it no longer matches the alert. An alert is managed by one or the
// other.
type withoutPolicyMarker struct{}

func (withoutPolicyMarker) Description(context.Context) string {
	return "must not carry a dismissal policy's marker " + policyMarkerPrefix + "NAME]"
}

func (v withoutPolicyMarker) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (withoutPolicyMarker) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || !strings.Contains(req.ConfigValue.ValueString(), policyMarkerPrefix) {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Comment carries a dismissal policy's marker",
		"A comment with "+policyMarkerPrefix+"NAME] is how a codescanning_alert_dismissal_policy tells its own dismissals apart, and the policy would reopen this one "+
			"when it stops matching the alert. Manage the alert with one or the other: remove the marker from this comment, "+
			"or let the policy dismiss the alert and remove this resource.")
}
