package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

var (
	_ datasource.DataSourceWithConfigure        = &alertsDataSource{}
	_ datasource.DataSourceWithConfigValidators = &alertsDataSource{}
	_ datasource.DataSourceWithValidateConfig   = &alertsDataSource{}
)

// The filter values GitHub accepts (its REST docs for the alert lists).
var (
	alertStateFilters    = []string{"open", "closed", "dismissed", "fixed"}
	alertSeverityFilters = []string{"critical", "high", "medium", "low", "warning", "note", "error"}
	alertSortFilters     = []string{"created", "updated"}
)

// NewAlertsDataSource is the codescanning_alerts data source.
func NewAlertsDataSource() datasource.DataSource {
	return &alertsDataSource{}
}

type alertsDataSource struct {
	data *providerData
}

type alertsDataSourceModel struct {
	ID           types.String `tfsdk:"id"`
	Repository   types.String `tfsdk:"repository"`
	Organization types.String `tfsdk:"organization"`
	listFilters
	State     types.String   `tfsdk:"state"`
	Severity  types.String   `tfsdk:"severity"`
	Assignees []types.String `tfsdk:"assignees"`
	Alerts    types.List     `tfsdk:"alerts"`
	Timeouts  timeouts.Value `tfsdk:"timeouts"`
}

func (d *alertsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_alerts"
}

func (d *alertsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := listFilterSchema{
		what: "alerts",
		ref:  "Only alerts on this Git reference (`refs/heads/BRANCH` or `refs/pull/NUMBER/merge`); GitHub's default is the default branch. Repository only; not with `pr`.",
		pr:   "Only alerts on this pull request. Repository only; not with `ref`.",
		sort: "Order by `created` (GitHub's default) or `updated`.", sorts: alertSortFilters,
		direction: "`desc` (GitHub's default) or `asc`.",
	}.attributes()
	maps.Copy(attributes, map[string]schema.Attribute{
		"id": schema.StringAttribute{MarkdownDescription: "The scope listed: `owner/name` or the organization.", Computed: true},
		"repository": schema.StringAttribute{
			MarkdownDescription: "Repository as `owner/name`, or `name` with the provider's `owner`. Exactly one of `repository` and `organization`.",
			Optional:            true,
			Validators:          repositoryValidators,
		},
		"organization": schema.StringAttribute{
			MarkdownDescription: "Organization whose repositories' alerts to list. Exactly one of `repository` and `organization`.",
			Optional:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"state": schema.StringAttribute{
			MarkdownDescription: "Only alerts in this state: `open`, `closed` (dismissed or fixed), `dismissed` or `fixed`.",
			Optional:            true,
			Validators:          []validator.String{stringvalidator.OneOf(alertStateFilters...)},
		},
		"severity": schema.StringAttribute{
			MarkdownDescription: "Only alerts of this severity: `critical`, `high`, `medium`, `low` (security severity) or `warning`, `note`, `error` (rule severity).",
			Optional:            true,
			Validators:          []validator.String{stringvalidator.OneOf(alertSeverityFilters...)},
		},
		"assignees": schema.ListAttribute{
			MarkdownDescription: "Only alerts assigned to any of these logins; `[\"*\"]` for alerts with any assignee, `[\"none\"]` for unassigned alerts.",
			Optional:            true,
			ElementType:         types.StringType,
			Validators:          []validator.List{listvalidator.SizeAtLeast(1), listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
		},
		"alerts": schema.ListNestedAttribute{
			MarkdownDescription: "The alerts, in the order GitHub lists them.",
			Computed:            true,
			NestedObject:        schema.NestedAttributeObject{Attributes: alertAttributes()},
		},
	})
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the code scanning alerts of a repository or of a whole organization, every page of them " +
			"(100 per request) unless `max_results` caps the list. Filters are GitHub's own, applied by GitHub; " +
			"`severity`, `assignees` and `pr`, which some servers do not know and ignore, are also checked against each alert listed, " +
			"and an alert that fails them is left out with a warning, so the list is safe to dismiss from with `for_each`.",
		Attributes: attributes,
		Blocks:     map[string]schema.Block{"timeouts": readTimeoutsBlock(ctx)},
	}
}

func (d *alertsDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return append([]datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(path.MatchRoot("repository"), path.MatchRoot("organization"))},
		listFilterConflicts()...)
}

// ValidateConfig rejects the repository-only filters in the organization form.
func (d *alertsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var config alertsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || config.Organization.IsNull() {
		return
	}
	set := map[string]bool{"ref": !config.Ref.IsNull(), "pr": !config.PR.IsNull()}
	for _, name := range slices.Sorted(maps.Keys(set)) {
		if set[name] {
			resp.Diagnostics.AddAttributeError(path.Root(name), name+" needs a repository",
				"GitHub filters by "+name+" only within one repository. Use repository instead of organization, or remove "+name+".")
		}
	}
}

func (d *alertsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *alertsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config alertsDataSourceModel
	ctx, repo, done, ok := startRead(ctx, d.data, req.Config, &config, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	assignees := make([]string, len(config.Assignees))
	for i, a := range config.Assignees {
		assignees[i] = a.ValueString()
	}
	filter := githubclient.AlertFilter{State: config.State.ValueString(), Severity: config.Severity.ValueString(), Assignees: strings.Join(assignees, ",")}
	config.fill(&filter.ToolName, &filter.ToolGUID, &filter.Ref, &filter.PR, &filter.Sort, &filter.Direction, &filter.Max)

	// The alerts are encoded for terraform as their pages arrive (alerts_msgpack.go), so that the
	// provider never holds the whole list as values.
	enc := newAlertsEncoder()
	var leftOut map[string]int
	var err error
	if org := config.Organization.ValueString(); org != "" {
		config.ID = types.StringValue(org)
		leftOut, err = d.data.client.EachOrganizationAlert(ctx, org, filter, enc.add)
	} else {
		config.ID = types.StringValue(repo.String())
		leftOut, err = d.data.client.EachRepositoryAlert(ctx, repo, filter, enc.add)
	}
	buf, start, encErr := enc.list()
	if encErr != nil {
		resp.Diagnostics.AddError("Cannot encode the alerts list", "This is a bug in the provider; please report it.\n\nOriginal Error: "+encErr.Error())
		return
	}
	if err != nil {
		addClientError(&resp.Diagnostics, fmt.Sprintf("Cannot list code scanning alerts of %s", config.ID.ValueString()), err)
		return
	}
	addIgnoredFilterWarnings(&resp.Diagnostics, config.ID.ValueString(), filter, leftOut)
	tflog.Debug(ctx, "listed code scanning alerts", map[string]any{"scope": config.ID.ValueString(), "count": enc.n})
	if out := encodedAlertsFrom(ctx); out != nil {
		// Served by ProtocolServer, which puts the encoded list where the state's is empty.
		out.buf, out.start = buf, start
		config.Alerts = types.ListValueMust(alertObjectType(), nil)
	} else {
		// The framework's server alone: the same list, as values.
		config.Alerts, err = decodeAlertsList(ctx, buf[start:])
		if err != nil {
			resp.Diagnostics.AddError("Cannot decode the alerts list", "This is a bug in the provider; please report it.\n\nOriginal Error: "+err.Error())
			return
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}

// addIgnoredFilterWarnings says which filters GitHub ignored: it listed alerts that fail them,
// which the list leaves out. Those filters are newer than some servers (GitHub Enterprise
// Server releases, proxies), which ignore what they do not know rather than refuse it.
func addIgnoredFilterWarnings(diags *diag.Diagnostics, scope string, filter githubclient.AlertFilter, leftOut map[string]int) {
	asked := map[string]string{"severity": filter.Severity, "assignees": filter.Assignees, "pr": strconv.Itoa(filter.PR)}
	for _, name := range []string{"severity", "assignees", "pr"} {
		n := leftOut[name]
		if n == 0 {
			continue
		}
		detail := fmt.Sprintf("GitHub listed %d alerts of %s that do not match %s = %q, as a server that does not know the filter would. "+
			"They were left out, so alerts holds only alerts that match.", n, scope, name, asked[name])
		if name == "pr" {
			detail += fmt.Sprintf(" GitHub shows no pull request on an alert except through its instance, so alerts found on pull request %d may be missing: "+
				"use ref = \"refs/pull/%d/merge\" instead, which every server knows.", filter.PR, filter.PR)
		}
		diags.AddAttributeWarning(path.Root(name), fmt.Sprintf("GitHub ignored the %s filter", name), detail)
	}
}
