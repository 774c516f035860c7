package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

var (
	_ resource.ResourceWithConfigure   = &securityConfigurationAttachmentResource{}
	_ resource.ResourceWithImportState = &securityConfigurationAttachmentResource{}
	_ resource.ResourceWithModifyPlan  = &securityConfigurationAttachmentResource{}
)

// The scopes an attachment takes; selected is written as repositories.
var attachmentScopes = []string{githubclient.ScopeAll, githubclient.ScopeAllWithoutConfigurations, githubclient.ScopePublic, githubclient.ScopePrivateOrInternal}

// repositoryNamePattern is a repository's name within its organization.
var repositoryNamePattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)

const (
	attachmentCreateTimeout = 30 * time.Minute
	attachmentUpdateTimeout = 30 * time.Minute
	attachmentDeleteTimeout = 10 * time.Minute
	attachmentReadTimeout   = 5 * time.Minute
)

// NewSecurityConfigurationAttachmentResource is the codescanning_security_configuration_attachment resource.
func NewSecurityConfigurationAttachmentResource() resource.Resource {
	return &securityConfigurationAttachmentResource{}
}

type securityConfigurationAttachmentResource struct {
	data *providerData
}

type securityConfigurationAttachmentModel struct {
	ID              types.String   `tfsdk:"id"`
	Organization    types.String   `tfsdk:"organization"`
	ConfigurationID types.Int64    `tfsdk:"configuration_id"`
	Scope           types.String   `tfsdk:"scope"`
	Repositories    types.Set      `tfsdk:"repositories"`
	RepositoryIDs   types.Map      `tfsdk:"repository_ids"`
	Timeouts        timeouts.Value `tfsdk:"timeouts"`
}

func (r *securityConfigurationAttachmentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_security_configuration_attachment"
}

func (r *securityConfigurationAttachmentResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Attaches a code security configuration to an organization's repositories: a `scope` " +
			"(`" + strings.Join(attachmentScopes, "`, `") + "`) or `repositories` by name. GitHub attaches them in the background; " +
			"the apply waits until every targeted repository is `attached` or `enforced`, and a repository GitHub could not attach (`failed`, " +
			"most often for lack of a licence) is an error naming it. Destroy detaches the repositories this attachment attached; they keep their settings.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`organization/configuration_id`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"organization": schema.StringAttribute{
				MarkdownDescription: "The organization whose repositories get the configuration. Changing it replaces the attachment.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(organizationPattern, "must be an organization's login, without a slash")},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"configuration_id": schema.Int64Attribute{
				MarkdownDescription: "The configuration to attach: `codescanning_security_configuration`'s `configuration_id`, or a GitHub or enterprise configuration's from the `codescanning_security_configuration` data source. Changing it replaces the attachment (the old configuration's repositories are detached, then the new one attached).",
				Required:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"scope": schema.StringAttribute{
				MarkdownDescription: "Which repositories: `all`, `all_without_configurations` (those with no configuration yet), `public`, or `private_or_internal`. " +
					"A scope is applied when the attachment is created or changed: repositories created later are not attached by it (make the configuration a " +
					"`default_for_new_repos` for those). Refresh shows drift when a repository the scope attached was detached or attached to another configuration since: " +
					"the plan then shows `scope` as an update, which attaches the scope's repositories again. Exactly one of `scope` and `repositories`.",
				Optional: true,
				Validators: []validator.String{
					stringvalidator.OneOf(attachmentScopes...),
					stringvalidator.ExactlyOneOf(path.MatchRoot("repositories")),
				},
			},
			"repositories": schema.SetAttribute{
				MarkdownDescription: "The repositories, by name within the organization (`service`, not `octo-org/service`); the provider finds each one's ID. " +
					"A repository detached or attached to another configuration outside Terraform shows in the next plan as one to add again. " +
					"Removing a repository from the set detaches it (it keeps its settings).",
				ElementType: types.StringType,
				Optional:    true,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.RegexMatches(repositoryNamePattern, "must be a repository's name within the organization, without the organization")),
				},
			},
			"repository_ids": schema.MapAttribute{
				MarkdownDescription: "The repositories this attachment attached and still covers, by name, with GitHub's ID of each: what destroy detaches.",
				ElementType:         types.Int64Type,
				Computed:            true,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{
				Create: true, Update: true, Delete: true, Read: true,
				CreateDescription: "How long attaching may take, waiting for GitHub to attach every repository included; defaults to `" + terraformDuration(attachmentCreateTimeout) + "`. " +
					"When it runs out, the error names the repositories still attaching.",
				UpdateDescription: "How long a change may take, as for `create`; defaults to `" + terraformDuration(attachmentUpdateTimeout) + "`.",
				DeleteDescription: "How long detaching may take; defaults to `" + terraformDuration(attachmentDeleteTimeout) + "`.",
				ReadDescription:   "How long a refresh may take; defaults to `" + terraformDuration(attachmentReadTimeout) + "`.",
			}),
		},
	}
}

func (r *securityConfigurationAttachmentResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan keeps repository_ids while what is attached does not change (only timeouts).
func (r *securityConfigurationAttachmentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return
	}
	var plan, state securityConfigurationAttachmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if plan.attachesSameAs(state) {
		plan.RepositoryIDs = state.RepositoryIDs
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	}
}

func (m securityConfigurationAttachmentModel) attachesSameAs(o securityConfigurationAttachmentModel) bool {
	return m.Organization.Equal(o.Organization) && m.ConfigurationID.Equal(o.ConfigurationID) && m.Scope.Equal(o.Scope) && m.Repositories.Equal(o.Repositories)
}

func (r *securityConfigurationAttachmentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan securityConfigurationAttachmentModel
	ctx, done, ok := startOrgOperation(ctx, req.Plan, &plan, timeouts.Value.Create, attachmentCreateTimeout, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	plan.ID = types.StringValue(configurationResourceID(plan.Organization.ValueString(), plan.ConfigurationID.ValueInt64()))
	r.attach(ctx, plan, nil, &resp.State, &resp.Diagnostics)
}

func (r *securityConfigurationAttachmentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior securityConfigurationAttachmentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	ctx, done, ok := startOrgOperation(ctx, req.Plan, &plan, timeouts.Value.Update, attachmentUpdateTimeout, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	if plan.attachesSameAs(prior) {
		// Only timeouts changed: GitHub never sees them.
		plan.RepositoryIDs = prior.RepositoryIDs
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	recorded, diags := repositoryIDsOf(ctx, prior.RepositoryIDs)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.attach(ctx, plan, recorded, &resp.State, &resp.Diagnostics)
}

// attach attaches what plan names, waits for GitHub to finish, then detaches what prior (the
// repositories the attachment covered, by name) had and plan no longer covers. The state is
// written whatever happens, with the repositories GitHub then shows covered, so a failed or
// timed-out wait leaves it true to GitHub.
func (r *securityConfigurationAttachmentResource) attach(ctx context.Context, plan securityConfigurationAttachmentModel, prior map[string]int64, state stateSetter, diags *diag.Diagnostics) {
	org, id := plan.Organization.ValueString(), plan.ConfigurationID.ValueInt64()
	client := r.data.client
	what := fmt.Sprintf("code security configuration %d to repositories of %s", id, org)

	var targets map[int64]string // by ID, full names; nil for a scope
	var covered map[string]int64
	var progress *githubclient.AttachmentProgress
	var err error
	if !plan.Repositories.IsNull() {
		var names []string
		diags.Append(plan.Repositories.ElementsAs(ctx, &names, false)...)
		if diags.HasError() {
			return
		}
		ids := r.resolveRepositories(ctx, org, names, prior, diags)
		if diags.HasError() {
			return
		}
		targets = map[int64]string{}
		var missing []int64
		for _, name := range names {
			targets[ids[name]] = org + "/" + name
			if _, had := prior[name]; !had {
				missing = append(missing, ids[name])
			}
		}
		slices.Sort(missing)
		if len(missing) > 0 {
			err = client.AttachSecurityConfiguration(ctx, org, id, githubclient.ScopeSelected, missing)
		}
		if err == nil {
			progress, err = client.WaitForAttachment(ctx, org, id, targets)
		}
		covered = coveredTargets(progress, targets)
	} else {
		scope := plan.Scope.ValueString()
		err = client.AttachSecurityConfiguration(ctx, org, id, scope, nil)
		if err == nil {
			progress, err = client.WaitForAttachment(ctx, org, id, nil)
		}
		covered = coveredByScope(progress, scope)
	}
	if err == nil {
		err = r.detachLeftOver(ctx, org, prior, covered, progress)
	}
	if err != nil && progress == nil {
		// Nothing is known of what GitHub holds now: keep what was covered before.
		covered = prior
	}
	if covered == nil {
		covered = map[string]int64{}
	}
	ids, d := types.MapValueFrom(ctx, types.Int64Type, covered)
	diags.Append(d...)
	plan.RepositoryIDs = ids
	diags.Append(state.Set(ctx, &plan)...)
	if err != nil {
		addAttachmentError(diags, "Cannot attach "+what, err)
	}
}

// resolveRepositories finds the ID of each named repository (prior's, when it has it), one
// request per new name; a repository GitHub does not show is an error on repositories.
func (r *securityConfigurationAttachmentResource) resolveRepositories(ctx context.Context, org string, names []string, prior map[string]int64, diags *diag.Diagnostics) map[string]int64 {
	ids := map[string]int64{}
	for _, name := range names {
		if id, ok := prior[name]; ok {
			ids[name] = id
			continue
		}
		repo := githubclient.Repository{Owner: org, Name: name}
		id, err := r.data.client.RepositoryID(ctx, repo)
		if githubclient.IsNotFound(err) {
			diags.AddAttributeError(path.Root("repositories"), "No repository "+repo.String(),
				"GitHub answers 404 for "+repo.String()+": check the name (a name within the organization, without it), or grant the token the repository "+
					"(a classic token needs the repo scope for a private one).\n\nOriginal Error: "+err.Error())
			continue
		}
		if err != nil {
			addClientError(diags, "Cannot read the ID of "+repo.String(), err)
			return nil
		}
		ids[name] = id
	}
	return ids
}

// coveredTargets are the targets GitHub shows attached or enforced, by the name the
// configuration gives (GitHub's names compare without case: "Service" is service).
func coveredTargets(progress *githubclient.AttachmentProgress, targets map[int64]string) map[string]int64 {
	covered := map[string]int64{}
	if progress == nil {
		return covered
	}
	for _, r := range progress.Repositories {
		if fullName, ok := targets[r.Repository.ID]; ok && githubclient.Covers(r.Status) {
			_, name, _ := strings.Cut(fullName, "/")
			covered[name] = r.Repository.ID
		}
	}
	return covered
}

// coveredByScope are the configuration's repositories attached or enforced that scope takes,
// by name: a narrower scope than before does not detach what the wider one attached, so those
// are told apart by visibility (GitHub's simple repository has private, true for internal too).
func coveredByScope(progress *githubclient.AttachmentProgress, scope string) map[string]int64 {
	covered := map[string]int64{}
	if progress == nil {
		return covered
	}
	for _, r := range progress.Repositories {
		if !githubclient.Covers(r.Status) {
			continue
		}
		if (scope == githubclient.ScopePublic && r.Repository.Private) || (scope == githubclient.ScopePrivateOrInternal && !r.Repository.Private) {
			continue
		}
		covered[r.Repository.Name] = r.Repository.ID
	}
	return covered
}

// detachLeftOver detaches what prior covered and covered no longer does, if GitHub still shows
// it with this configuration (a repository attached elsewhere since is left where it is).
func (r *securityConfigurationAttachmentResource) detachLeftOver(ctx context.Context, org string, prior, covered map[string]int64, progress *githubclient.AttachmentProgress) error {
	stillHere := map[int64]bool{}
	if progress != nil {
		for _, repo := range progress.Repositories {
			stillHere[repo.Repository.ID] = attachedHere(repo.Status)
		}
	}
	var detach []int64
	for name, id := range prior {
		if _, keep := covered[name]; !keep && stillHere[id] {
			detach = append(detach, id)
		}
	}
	if len(detach) == 0 {
		return nil
	}
	slices.Sort(detach)
	return r.data.client.DetachSecurityConfigurations(ctx, org, detach)
}

// attachedHere reports whether a status in a configuration's list means the repository is (or
// is becoming) the configuration's: what a detach would take away.
func attachedHere(status string) bool {
	return githubclient.Covers(status) || status == githubclient.AttachmentAttaching || status == githubclient.AttachmentUpdating || status == githubclient.AttachmentFailed
}

func (r *securityConfigurationAttachmentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state securityConfigurationAttachmentModel
	ctx, done, ok := startOrgOperation(ctx, req.State, &state, timeouts.Value.Read, attachmentReadTimeout, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	org, id := state.Organization.ValueString(), state.ConfigurationID.ValueInt64()
	listed, err := r.data.client.ListSecurityConfigurationRepositories(ctx, org, id)
	if githubclient.IsNotFound(err) {
		resp.Diagnostics.AddWarning(fmt.Sprintf("GitHub answers 404 for code security configuration %d of %s; attachment removed from the state", id, org),
			"The configuration was deleted (GitHub then detaches its repositories), or the token can no longer see the organization's configurations.")
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addClientError(&resp.Diagnostics, fmt.Sprintf("Cannot read the repositories of code security configuration %d of %s", id, org), err)
		return
	}
	here := map[int64]string{}    // repositories of this configuration, attached or under way: full name
	byName := map[string]int64{}  // GitHub's names, for an import
	byLower := map[string]int64{} // for a configured name, which GitHub compares without case
	for _, repo := range listed {
		if githubclient.Covers(repo.Status) || repo.Status == githubclient.AttachmentAttaching || repo.Status == githubclient.AttachmentUpdating {
			here[repo.Repository.ID] = repo.Repository.Name
			byName[repo.Repository.Name] = repo.Repository.ID
			byLower[strings.ToLower(repo.Repository.Name)] = repo.Repository.ID
		}
	}
	if state.RepositoryIDs.IsNull() {
		// Import: the configuration's repositories, by name; a configuration that names a
		// scope instead shows that change in the plan.
		resp.Diagnostics.Append(state.setRepositories(ctx, byName)...)
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
		return
	}
	recorded, diags := repositoryIDsOf(ctx, state.RepositoryIDs)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	stillCovered := map[string]int64{}
	var gone []string
	for name, repoID := range recorded {
		if _, ok := here[repoID]; ok {
			stillCovered[name] = repoID
		} else {
			gone = append(gone, org+"/"+name)
		}
	}
	sort.Strings(gone)
	if !state.Repositories.IsNull() {
		var names []string
		resp.Diagnostics.Append(state.Repositories.ElementsAs(ctx, &names, false)...)
		kept := map[string]int64{}
		for _, name := range names {
			if repoID, ok := stillCovered[name]; ok {
				kept[name] = repoID
			} else if repoID, ok := byLower[strings.ToLower(name)]; ok && recorded[name] == 0 {
				// Named but not recorded (an apply that failed part-way): GitHub has it now.
				kept[name] = repoID
			}
		}
		resp.Diagnostics.Append(state.setRepositories(ctx, kept)...)
	} else {
		ids, d := types.MapValueFrom(ctx, types.Int64Type, stillCovered)
		resp.Diagnostics.Append(d...)
		state.RepositoryIDs = ids
		if len(gone) > 0 {
			// The scope no longer holds: a null scope plans it again, which attaches anew.
			state.Scope = types.StringNull()
		}
	}
	if len(gone) > 0 {
		resp.Diagnostics.AddWarning(fmt.Sprintf("%d repositories left code security configuration %d of %s", len(gone), id, org),
			"GitHub no longer shows "+strings.Join(gone, ", ")+" attached to the configuration: detached, attached to another configuration, or deleted, outside Terraform. "+
				"The plan attaches them again; remove them from the configuration (repositories) if they should stay as they are.")
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// setRepositories records covered as the attachment's repositories (by name) and their IDs.
func (m *securityConfigurationAttachmentModel) setRepositories(ctx context.Context, covered map[string]int64) diag.Diagnostics {
	var diags diag.Diagnostics
	names := make([]attr.Value, 0, len(covered))
	for name := range covered {
		names = append(names, types.StringValue(name))
	}
	set, d := types.SetValue(types.StringType, names)
	diags.Append(d...)
	ids, d := types.MapValueFrom(ctx, types.Int64Type, covered)
	diags.Append(d...)
	m.Repositories, m.RepositoryIDs = set, ids
	return diags
}

func (r *securityConfigurationAttachmentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state securityConfigurationAttachmentModel
	ctx, done, ok := startOrgOperation(ctx, req.State, &state, timeouts.Value.Delete, attachmentDeleteTimeout, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	org, id := state.Organization.ValueString(), state.ConfigurationID.ValueInt64()
	recorded, diags := repositoryIDsOf(ctx, state.RepositoryIDs)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || len(recorded) == 0 {
		return
	}
	listed, err := r.data.client.ListSecurityConfigurationRepositories(ctx, org, id)
	if githubclient.IsNotFound(err) {
		return // the configuration is gone, and GitHub detached its repositories with it
	}
	if err != nil {
		addClientError(&resp.Diagnostics, fmt.Sprintf("Cannot read the repositories of code security configuration %d of %s", id, org), err)
		return
	}
	progress := &githubclient.AttachmentProgress{Repositories: listed}
	if err := r.detachLeftOver(ctx, org, recorded, nil, progress); err != nil {
		addClientError(&resp.Diagnostics, fmt.Sprintf("Cannot detach code security configuration %d of %s from its repositories", id, org), err)
	}
}

// ImportState takes organization/configuration_id; the refresh that follows records the
// configuration's repositories as repositories.
func (r *securityConfigurationAttachmentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	org, rest, _ := strings.Cut(req.ID, "/")
	id, err := strconv.ParseInt(rest, 10, 64)
	if err != nil || org == "" || id <= 0 {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("Import an attachment as organization/configuration_id (octo-org/1325); got %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("organization"), org)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("configuration_id"), id)...)
}

func repositoryIDsOf(ctx context.Context, m types.Map) (map[string]int64, diag.Diagnostics) {
	ids := map[string]int64{}
	if m.IsNull() || m.IsUnknown() {
		return ids, nil
	}
	diags := m.ElementsAs(ctx, &ids, false)
	return ids, diags
}

// addAttachmentError is addClientError with what to do about repositories GitHub could not
// attach, or did not attach in time.
func addAttachmentError(diags *diag.Diagnostics, summary string, err error) {
	var failed *githubclient.AttachmentFailedError
	var late *githubclient.AttachmentTimeoutError
	switch {
	case errors.As(err, &failed):
		diags.AddError(summary, "GitHub could not attach "+strings.Join(failed.Repositories, ", ")+" (status failed), most often because the organization has no "+
			"GitHub Code Security or Secret Protection licence left for them, or the repository cannot have a feature the configuration turns on. "+
			"Assign licences, or remove those repositories (or use a configuration without paid features for them), and apply again. "+
			"The state records the repositories GitHub did attach.\n\nOriginal Error: "+err.Error())
	case errors.As(err, &late):
		diags.AddError(summary, "GitHub was still attaching when the time ran out; it goes on in the background. Raise the resource's timeouts "+
			"and apply again: repositories already attached are not attached again.\n\nOriginal Error: "+err.Error())
	default:
		addClientError(diags, summary, err)
	}
}
