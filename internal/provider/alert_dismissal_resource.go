package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
	"github.com/codescanning/terraform-provider-codescanning/internal/provider/validators"
)

var (
	_ resource.ResourceWithConfigure   = &alertDismissalResource{}
	_ resource.ResourceWithImportState = &alertDismissalResource{}
	_ resource.ResourceWithModifyPlan  = &alertDismissalResource{}
)

// NewAlertDismissalResource is the codescanning_alert_dismissal resource.
func NewAlertDismissalResource() resource.Resource {
	return &alertDismissalResource{}
}

type alertDismissalResource struct {
	data *providerData
}

type alertDismissalModel struct {
	ID            types.String `tfsdk:"id"`
	Repository    types.String `tfsdk:"repository"`
	AlertNumber   types.Int64  `tfsdk:"alert_number"`
	Reason        types.String `tfsdk:"reason"`
	Comment       types.String `tfsdk:"comment"`
	Assignees     types.Set    `tfsdk:"assignees"`
	CreateRequest types.Bool   `tfsdk:"create_request"`
	State         types.String `tfsdk:"state"`
	DismissedBy   types.String `tfsdk:"dismissed_by"`
	ApprovedBy    types.String `tfsdk:"dismissal_approved_by"`
	RequestStatus types.String `tfsdk:"request_status"`
	DismissedAt   types.String `tfsdk:"dismissed_at"`
	RuleID        types.String `tfsdk:"rule_id"`
	HTMLURL       types.String `tfsdk:"html_url"`
}

func (r *alertDismissalResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_alert_dismissal"
}

func (r *alertDismissalResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	computed := func(desc string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	// An alert's rule and address never change, so a plan keeps them instead of showing them unknown.
	stable := func(desc string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Dismisses a code scanning alert, with a reason and a comment reviewed like any other change. " +
			"If someone reopens the alert on GitHub, the next plan shows it and the next apply dismisses it again. " +
			"A dismissal someone already made is adopted when it has the configured reason, and otherwise refused, never overwritten. " +
			"Destroying the resource reopens the alert if Terraform dismissed it.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`owner/name/number`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"repository": schema.StringAttribute{
				MarkdownDescription: "Repository as `owner/name`, or `name` with the provider's `owner`. Changing it dismisses another alert (replace).",
				Required:            true,
				Validators:          repositoryValidators,
			},
			"alert_number": schema.Int64Attribute{
				MarkdownDescription: "Number of the alert to dismiss. Changing it dismisses another alert (replace).",
				Required:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"reason": schema.StringAttribute{
				MarkdownDescription: "Why the alert is dismissed: `false positive`, `won't fix`, `used in tests` or `mitigated`, with spaces as GitHub writes them. " +
					"`mitigated` is in every API description GitHub publishes (github.com, GHES 3.17 and 3.19), though its prose documentation lists only the other three.",
				Required:   true,
				Validators: []validator.String{validators.DismissalReason()},
			},
			"comment": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("The dismissal comment, at most %d characters (characters, not bytes: `é` counts once). "+
					"Left as GitHub has it when omitted: an adopted dismissal keeps its comment, and a new reason keeps the comment there is.", githubclient.MaxDismissalComment),
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{stringvalidator.UTF8LengthBetween(1, githubclient.MaxDismissalComment), withoutPolicyMarker{}},
			},
			"assignees": schema.SetAttribute{
				MarkdownDescription: "Logins assigned to the alert; replaces GitHub's list. Left as GitHub has it when omitted; `[]` unassigns everyone. " +
					"An imported dismissal records none (`null`) until the configuration names them, so the configuration Terraform generates leaves them to GitHub.",
				ElementType: types.StringType,
				Optional:    true,
				Computed:    true,
				Validators:  []validator.Set{setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
			},
			"create_request": schema.BoolAttribute{
				MarkdownDescription: "Ask for a dismissal request instead of dismissing, where the repository delegates dismissal to reviewers. " +
					"While the request waits for review the alert stays open and the resource keeps the requested reason. " +
					"GitHub Enterprise Server has dismissal requests from 3.19; on 3.17 and 3.18, which would ignore the setting and dismiss the alert outright, " +
					"the plan (once the server has named its release) or the apply fails naming the release, and nothing is sent.",
				Optional: true,
			},
			"state":                 computed("The alert's state on GitHub: `dismissed`, `open` (reopened, or awaiting a dismissal request's review) or `fixed`."),
			"dismissed_by":          computed("Login of who dismissed the alert."),
			"dismissal_approved_by": computed("Login of the reviewer who approved the dismissal request (`create_request`), once GitHub shows the alert dismissed; null otherwise."),
			"request_status": computed("With `create_request`, what GitHub lets the provider know of the request: `pending` while the alert stays open " +
				"(which also covers a request a reviewer denied, or that expired: GitHub's API shows neither), `approved` once the alert is dismissed " +
				"with a `dismissal_approved_by`, `dismissed` if it was dismissed without one. Null without `create_request`, or once the alert is fixed."),
			"dismissed_at": computed("When the alert was dismissed (RFC 3339)."),
			"rule_id":      stable("ID of the rule that raised the alert."),
			"html_url":     stable("The alert on GitHub."),
		},
	}
}

func (r *alertDismissalResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan treats a bare repository name and owner/name of one repository as no change,
// keeps GitHub's assignees when the configuration leaves them to GitHub, and fails for an alert
// a dismissal policy dismissed (alert_dismissal_resource_policy.go).
func (r *alertDismissalResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan, state, config alertDismissalModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	checkPlannedRepository(ctx, r.data, plan.Repository, &resp.Diagnostics)
	checkPlannedDismissalRequest(r.data, plan.CreateRequest, &resp.Diagnostics)
	if req.State.Raw.IsNull() && !resp.Diagnostics.HasError() {
		r.checkPlannedPolicyOverlap(ctx, plan, nil, &resp.Diagnostics)
	}
	direct := !plan.CreateRequest.IsUnknown() && !plan.CreateRequest.ValueBool()
	if direct {
		// Without a dismissal request there is no request status to know after apply.
		plan.RequestStatus = types.StringNull()
	}
	if req.State.Raw.IsNull() || resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	planRepository(r.data, &plan.Repository, state.Repository, resp)
	r.checkPlannedPolicyOverlap(ctx, plan, &state, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if config.Assignees.IsNull() {
		plan.Assignees = state.Assignees
	}
	if config.Comment.IsNull() {
		plan.Comment = state.Comment
	}
	if plan.keepsDismissalOf(state) {
		// Only the assignees change, and apply sends only them: the dismissal, who made it and
		// when, stay as they are.
		plan.State, plan.DismissedBy, plan.DismissedAt = state.State, state.DismissedBy, state.DismissedAt
		plan.ApprovedBy, plan.RequestStatus = state.ApprovedBy, state.RequestStatus
	} else if direct {
		// An update dismisses the alert itself: no reviewer approves that.
		plan.ApprovedBy = types.StringNull()
	}
	if plan.Repository.Equal(state.Repository) && plan.AlertNumber.Equal(state.AlertNumber) && plan.Reason.Equal(state.Reason) &&
		plan.Comment.Equal(state.Comment) && plan.Assignees.Equal(state.Assignees) && plan.CreateRequest.Equal(state.CreateRequest) {
		plan = state
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// keepsDismissalOf reports whether m leaves prior's dismissal as it is on GitHub: the alert is
// dismissed and m asks for the same reason, comment and way of dismissing. Apply then sends only
// the assignees.
func (m alertDismissalModel) keepsDismissalOf(prior alertDismissalModel) bool {
	return prior.State.ValueString() == githubclient.AlertDismissed &&
		m.Reason.Equal(prior.Reason) && m.Comment.Equal(prior.Comment) && m.CreateRequest.Equal(prior.CreateRequest)
}

func (r *alertDismissalResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan alertDismissalModel
	ctx, repo, done, ok := startOperation(ctx, r.data, req.Plan, &plan, noTimeout, 0, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	r.apply(ctx, repo, plan, nil, &resp.State, resp.Private, &resp.Diagnostics)
}

func (r *alertDismissalResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior alertDismissalModel
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	ctx, repo, done, ok := startOperation(ctx, r.data, req.Plan, &plan, noTimeout, 0, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	r.apply(ctx, repo, plan, &prior, &resp.State, resp.Private, &resp.Diagnostics)
}

// apply makes GitHub hold the planned dismissal and records the alert as GitHub answers it.
//   - A create reads the alert first: one someone already dismissed is adopted when it says what
//     the plan says, and refused otherwise (alert_dismissal_resource_existing.go).
//   - When only the assignees changed, only they are sent: the dismissal (and who made it, and
//     when) stays.
//   - A new reason or comment for an alert the state shows dismissed reopens it first, on
//     purpose: GitHub refuses to dismiss a dismissed alert.
func (r *alertDismissalResource) apply(ctx context.Context, repo githubclient.Repository, plan alertDismissalModel, prior *alertDismissalModel, state stateSetter, private privateState, diags *diag.Diagnostics) {
	number := int(plan.AlertNumber.ValueInt64())
	var assignees *[]string
	if !plan.Assignees.IsNull() && !plan.Assignees.IsUnknown() {
		var logins []string
		diags.Append(plan.Assignees.ElementsAs(ctx, &logins, false)...)
		slices.Sort(logins)
		assignees = &logins
	}
	record := dismissalRecord{MadeByTerraform: true}
	if prior != nil {
		var d diag.Diagnostics
		record, d = readDismissalRecord(ctx, private)
		diags.Append(d...)
	}

	var alert *githubclient.Alert
	var err error
	switch {
	case prior == nil:
		alert, err = r.createDismissal(ctx, repo, number, plan, assignees, &record)
	case plan.keepsDismissalOf(*prior):
		alert, err = r.data.client.UpdateAlert(ctx, repo, number, githubclient.AlertUpdate{Assignees: assignees})
	case prior.State.ValueString() == githubclient.AlertDismissed:
		tflog.Info(ctx, "reopening the dismissed alert to dismiss it with the new reason and comment", map[string]any{"repository": repo.String(), "alert_number": number})
		if _, err = r.data.client.UpdateAlert(ctx, repo, number, githubclient.AlertUpdate{State: githubclient.AlertOpen}); err == nil {
			alert, err = r.dismiss(ctx, repo, number, plan, assignees, &record)
		}
	default:
		alert, err = r.dismiss(ctx, repo, number, plan, assignees, &record)
	}
	var conflict *dismissalConflict
	switch {
	case errors.As(err, &conflict):
		addConflictError(diags, repo, conflict, prior == nil)
		if prior != nil {
			r.recordAlert(ctx, repo, *prior, conflict.alert, state, diags)
		}
		return
	case err != nil:
		addAlertError(diags, fmt.Sprintf("Cannot dismiss code scanning alert %d of %s", number, repo), repo, number, err)
		r.recordAfterFailure(ctx, repo, number, plan, prior, state, diags)
		return
	}
	result := plan
	result.ID = types.StringValue(alertID(repo, number))
	diags.Append(setDismissalFromGitHub(ctx, &result, alert)...)
	if alert.State != githubclient.AlertDismissed && !plan.CreateRequest.ValueBool() {
		diags.AddError(fmt.Sprintf("Code scanning alert %d of %s was not dismissed", number, repo),
			fmt.Sprintf("GitHub answered with the alert in state %q. If the repository delegates dismissal to reviewers, set create_request = true to ask for one.", alert.State))
	}
	diags.Append(state.Set(ctx, &result)...)
	diags.Append(writeDismissalRecord(ctx, private, record)...)
}

// createDismissal reads the alert before dismissing it, so that a dismissal someone else made is
// adopted or refused, never replaced.
func (r *alertDismissalResource) createDismissal(ctx context.Context, repo githubclient.Repository, number int, plan alertDismissalModel, assignees *[]string, record *dismissalRecord) (*githubclient.Alert, error) {
	alert, err := r.data.client.GetAlert(ctx, repo, number)
	if err != nil {
		return nil, err
	}
	if alert.State != githubclient.AlertDismissed {
		return r.dismiss(ctx, repo, number, plan, assignees, record)
	}
	return r.adopt(ctx, repo, number, plan, assignees, alert, record)
}

// adopt takes on a dismissal someone else made when it is the planned one, sending only the
// assignees if they differ, or refuses it with a *dismissalConflict.
func (r *alertDismissalResource) adopt(ctx context.Context, repo githubclient.Repository, number int, plan alertDismissalModel, assignees *[]string, alert *githubclient.Alert, record *dismissalRecord) (*githubclient.Alert, error) {
	if policy := policyNameIn(alert.DismissedComment); policy != "" {
		// A policy's dismissal is the policy's to keep or reopen: adopting it would give the
		// alert two managers.
		return nil, &dismissalConflict{alert: alert, policy: policy}
	}
	if !holdsDismissal(alert, plan) {
		return nil, &dismissalConflict{alert: alert}
	}
	tflog.Info(ctx, "alert already dismissed as configured; adopting the dismissal without a request", map[string]any{"repository": repo.String(), "alert_number": number})
	*record = dismissalRecord{MadeByTerraform: false}
	if assignees == nil || sameLogins(*assignees, alert.Assignees) {
		return alert, nil
	}
	return r.data.client.UpdateAlert(ctx, repo, number, githubclient.AlertUpdate{Assignees: assignees})
}

// dismiss dismisses an alert with the planned reason and comment. If GitHub answers that the
// alert is already dismissed (someone dismissed it since it was read), the dismissal GitHub holds
// is adopted or refused, as on create.
func (r *alertDismissalResource) dismiss(ctx context.Context, repo githubclient.Repository, number int, plan alertDismissalModel, assignees *[]string, record *dismissalRecord) (*githubclient.Alert, error) {
	reason := plan.Reason.ValueString()
	update := githubclient.AlertUpdate{State: githubclient.AlertDismissed, DismissedReason: &reason, Assignees: assignees}
	if !plan.Comment.IsNull() && !plan.Comment.IsUnknown() {
		update.DismissedComment = plan.Comment.ValueStringPointer()
	}
	if plan.CreateRequest.ValueBool() {
		update.CreateRequest = plan.CreateRequest.ValueBoolPointer()
	}
	tflog.Info(ctx, "dismissing code scanning alert", map[string]any{"repository": repo.String(), "alert_number": number, "reason": reason})
	alert, err := r.data.client.UpdateAlert(ctx, repo, number, update)
	if err == nil && alert.State == githubclient.AlertDismissed && !holdsDismissal(alert, plan) {
		// The answer was lost, and the alert GitHub showed instead is someone else's dismissal.
		return nil, &dismissalConflict{alert: alert}
	}
	if !githubclient.IsAlreadyDismissed(err) {
		if err == nil {
			*record = dismissalRecord{MadeByTerraform: true}
			if plan.CreateRequest.ValueBool() && alert.State != githubclient.AlertDismissed {
				record.RequestedAt = time.Now().UTC().Format(time.RFC3339)
			}
		}
		return alert, err
	}
	current, getErr := r.data.client.GetAlert(ctx, repo, number)
	if getErr != nil {
		return nil, err
	}
	return r.adopt(ctx, repo, number, plan, assignees, current, record)
}

// sameLogins reports whether logins (sorted) are the users assigned, ignoring case as GitHub does.
func sameLogins(logins []string, users []githubclient.User) bool {
	if len(logins) != len(users) {
		return false
	}
	for _, u := range users {
		if !slices.ContainsFunc(logins, func(l string) bool { return strings.EqualFold(l, u.Login) }) {
			return false
		}
	}
	return true
}

// recordAfterFailure writes the state from GitHub after a failed change, so that a half-done
// change (reopened, not dismissed again) shows as drift rather than being forgotten. A create
// that changed nothing records nothing.
func (r *alertDismissalResource) recordAfterFailure(ctx context.Context, repo githubclient.Repository, number int, plan alertDismissalModel, prior *alertDismissalModel, state stateSetter, diags *diag.Diagnostics) {
	alert, err := r.data.client.GetAlert(ctx, repo, number)
	if err != nil || (prior == nil && alert.State != githubclient.AlertDismissed) {
		return
	}
	recorded := plan
	if prior != nil {
		recorded = *prior
	}
	r.recordAlert(ctx, repo, recorded, alert, state, diags)
}

// recordAlert writes the state as recorded, updated from GitHub's alert.
func (r *alertDismissalResource) recordAlert(ctx context.Context, repo githubclient.Repository, recorded alertDismissalModel, alert *githubclient.Alert, state stateSetter, diags *diag.Diagnostics) {
	recorded.ID = types.StringValue(alertID(repo, alert.Number))
	diags.Append(setDismissalFromGitHub(ctx, &recorded, alert)...)
	diags.Append(state.Set(ctx, &recorded)...)
}

func (r *alertDismissalResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state alertDismissalModel
	ctx, repo, done, ok := startOperation(ctx, r.data, req.State, &state, noTimeout, 0, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	number := int(state.AlertNumber.ValueInt64())
	alert, gone := r.readStateAlert(ctx, repo, number, false, &resp.Diagnostics)
	if gone {
		resp.State.RemoveResource(ctx)
	}
	if alert == nil {
		return
	}
	state.ID = types.StringValue(alertID(repo, number))
	resp.Diagnostics.Append(setDismissalFromGitHub(ctx, &state, alert)...)
	if state.RequestStatus.ValueString() == requestPending {
		record, d := readDismissalRecord(ctx, req.Private)
		resp.Diagnostics.Append(d...)
		addPendingRequestWarning(&resp.Diagnostics, repo, number, record)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// setDismissalFromGitHub records the alert as GitHub holds it. A reopened alert has no reason, so
// the configuration's reason shows as drift. Two states keep the recorded reason instead: a fixed
// alert, which needs no dismissal and cannot take one, and an open alert whose dismissal request
// awaits review.
func setDismissalFromGitHub(ctx context.Context, m *alertDismissalModel, alert *githubclient.Alert) diag.Diagnostics {
	m.State = types.StringValue(alert.State)
	m.RuleID = types.StringPointerValue(alert.Rule.ID)
	m.HTMLURL = types.StringValue(alert.HTMLURL)
	m.DismissedAt = timeValue(alert.DismissedAt)
	m.DismissedBy = types.StringNull()
	if alert.DismissedBy != nil {
		m.DismissedBy = types.StringValue(alert.DismissedBy.Login)
	}
	m.ApprovedBy = types.StringNull()
	if alert.DismissalApprovedBy != nil {
		m.ApprovedBy = types.StringValue(alert.DismissalApprovedBy.Login)
	}
	m.RequestStatus = requestStatus(m.CreateRequest.ValueBool(), alert)
	keepRecorded := alert.State == githubclient.AlertFixed || (alert.State == githubclient.AlertOpen && m.CreateRequest.ValueBool())
	if !keepRecorded {
		m.Reason = types.StringPointerValue(alert.DismissedReason)
		m.Comment = types.StringNull()
		if alert.DismissedComment != nil && *alert.DismissedComment != "" {
			m.Comment = types.StringValue(*alert.DismissedComment)
		}
	}
	if m.Comment.IsUnknown() {
		m.Comment = types.StringNull()
	}
	if m.Assignees.IsNull() {
		// Assignees no configuration has named stay unmanaged: an import records none, so the
		// configuration terraform generates from it leaves them to GitHub instead of pinning
		// assignees = [], which would undo the next assignment made in the UI.
		return nil
	}
	assignees := make([]string, len(alert.Assignees))
	for i, u := range alert.Assignees {
		assignees[i] = u.Login
	}
	slices.Sort(assignees)
	set, diags := types.SetValueFrom(ctx, types.StringType, assignees)
	m.Assignees = set
	return diags
}

// readStateAlert reads the alert a dismissal's state names, for Read and Delete. It returns nil
// when there is none to go on: gone (a 404, warned about as what it may mean; destroying says
// whether the resource is leaving the state anyway) or an error, added to diags.
func (r *alertDismissalResource) readStateAlert(ctx context.Context, repo githubclient.Repository, number int, destroying bool, diags *diag.Diagnostics) (alert *githubclient.Alert, gone bool) {
	alert, err := r.data.client.GetAlert(ctx, repo, number)
	if githubclient.IsNotFound(err) {
		warnNotFound(ctx, r.data.client, repo, alertNotFound(repo, number), destroying, diags)
		return nil, true
	}
	if err != nil {
		addClientError(diags, fmt.Sprintf("Cannot read code scanning alert %d of %s", number, repo), err)
		return nil, false
	}
	return alert, false
}

// alertNotFound is what a 404 for an alert may mean.
func alertNotFound(repo githubclient.Repository, number int) notFound {
	return notFound{
		what:      fmt.Sprintf("code scanning alert %d", number),
		leaves:    "keeps the alert as it is (a dismissal is not reopened)",
		permitted: "the alert no longer exists (GitHub deletes alerts with the analyses that found them), or the token may not read alerts (a fine-grained token or GitHub App needs Code scanning alerts: read; a classic token the security_events or repo scope)",
		importID:  alertID(repo, number),
	}
}

func (r *alertDismissalResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state alertDismissalModel
	ctx, repo, done, ok := startOperation(ctx, r.data, req.State, &state, noTimeout, 0, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	number := int(state.AlertNumber.ValueInt64())
	alert, _ := r.readStateAlert(ctx, repo, number, true, &resp.Diagnostics)
	if alert == nil {
		return
	}
	switch alert.State {
	case githubclient.AlertFixed:
		resp.Diagnostics.AddWarning(fmt.Sprintf("Code scanning alert %d of %s is fixed and was left as it is", number, repo),
			"A fixed alert cannot be reopened; removing the dismissal from Terraform changes nothing on GitHub.")
		return
	case githubclient.AlertOpen:
		return
	}
	if policy := policyNameIn(alert.DismissedComment); policy != "" {
		resp.Diagnostics.AddWarning(fmt.Sprintf("Code scanning alert %d of %s stays dismissed by the dismissal policy %q", number, repo, policy),
			"The dismissal GitHub holds is the policy's (its comment ends with the policy's marker), so removing this resource leaves it to the policy.")
		return
	}
	record, d := readDismissalRecord(ctx, req.Private)
	resp.Diagnostics.Append(d...)
	if !record.MadeByTerraform {
		resp.Diagnostics.AddWarning(fmt.Sprintf("Code scanning alert %d of %s stays dismissed", number, repo),
			describeDismissal(alert)+" before Terraform managed it, so removing it from Terraform leaves it dismissed. Reopen it on GitHub if that is what you mean.")
		return
	}
	if _, err := r.data.client.UpdateAlert(ctx, repo, number, githubclient.AlertUpdate{State: githubclient.AlertOpen}); err != nil {
		addClientError(&resp.Diagnostics, fmt.Sprintf("Cannot reopen code scanning alert %d of %s", number, repo), err)
	}
}

func (r *alertDismissalResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	repo, number, err := parseAlertID(r.data, req.ID)
	if err != nil {
		detail := fmt.Sprintf("Import an alert dismissal as owner/name/number, for example octo-org/service/42, or name/number when the provider's owner is set; got %q.", req.ID)
		if !errors.Is(err, errAlertIDForm) {
			detail += "\n\nOriginal Error: " + err.Error()
		}
		resp.Diagnostics.AddError("Invalid import ID", detail)
		return
	}
	if r.data != nil && !r.importableDismissal(ctx, repo, number, &resp.Diagnostics) {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), alertID(repo, number))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("repository"), repo.String())...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("alert_number"), int64(number))...)
	// An imported dismissal was made by someone, not by Terraform: destroy leaves it.
	resp.Diagnostics.Append(writeDismissalRecord(ctx, resp.Private, dismissalRecord{MadeByTerraform: false})...)
}

// importableDismissal refuses to import an alert that has no dismissal: its configuration would
// need a reason GitHub does not have (terraform's generated configuration says reason = null and
// fails with a generic error), while what the user wants, a dismissal, is what creating the
// resource does.
func (r *alertDismissalResource) importableDismissal(ctx context.Context, repo githubclient.Repository, number int, diags *diag.Diagnostics) bool {
	alert, err := r.data.client.GetAlert(ctx, repo, number)
	if err != nil {
		addAlertError(diags, fmt.Sprintf("Cannot import code scanning alert %d of %s", number, repo), repo, number, err)
		return false
	}
	switch {
	case alert.State == githubclient.AlertOpen:
		diags.AddError(fmt.Sprintf("Code scanning alert %d of %s is open: there is no dismissal to import", number, repo),
			"Only a dismissed alert can be imported. To dismiss this one with Terraform, remove its import (the import block, or the terraform import command) "+
				"and apply the codescanning_alert_dismissal resource: creating it dismisses the alert with the configuration's reason and comment.")
		return false
	case alert.DismissedReason == nil:
		diags.AddError(fmt.Sprintf("Code scanning alert %d of %s is %s and was never dismissed: there is no dismissal to import", number, repo, alert.State),
			"A fixed alert cannot be dismissed, so it needs no codescanning_alert_dismissal. Remove its import and its resource.")
		return false
	}
	return true
}
