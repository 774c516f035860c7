package provider

import (
	"context"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

var (
	_ datasource.DataSourceWithConfigure        = &analysesDataSource{}
	_ datasource.DataSourceWithConfigValidators = &analysesDataSource{}
)

// analysisSortFilters are the orders GitHub lists analyses in: by creation only.
var analysisSortFilters = []string{"created"}

// NewAnalysesDataSource is the codescanning_analyses data source.
func NewAnalysesDataSource() datasource.DataSource {
	return &analysesDataSource{}
}

type analysesDataSource struct {
	data *providerData
}

type analysesDataSourceModel struct {
	ID         types.String `tfsdk:"id"`
	Repository types.String `tfsdk:"repository"`
	listFilters
	SarifID  types.String   `tfsdk:"sarif_id"`
	Analyses types.List     `tfsdk:"analyses"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (d *analysesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_analyses"
}

func (d *analysesDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := listFilterSchema{
		what: "analyses",
		ref:  "Only analyses of this Git reference: `refs/heads/BRANCH`, `refs/pull/NUMBER/merge`, `refs/pull/NUMBER/head`, or a branch name. All references when omitted. Not with `pr`.",
		pr:   "Only analyses of this pull request. Not with `ref`.",
		sort: "Order by `created`, the only order GitHub offers (and its default).", sorts: analysisSortFilters,
		direction:                 "`desc` (newest first, GitHub's default) or `asc`.",
		nonEmptyToolAndRefFilters: true,
	}.attributes()
	maps.Copy(attributes, map[string]schema.Attribute{
		"id":         schema.StringAttribute{MarkdownDescription: "The repository as `owner/name`.", Computed: true},
		"repository": repositoryAttribute(),
		"sarif_id": schema.StringAttribute{MarkdownDescription: "Only the analyses made by this SARIF upload.", Optional: true,
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
		"analyses": schema.ListNestedAttribute{
			MarkdownDescription: "The analyses, in the order GitHub lists them.",
			Computed:            true,
			NestedObject:        schema.NestedAttributeObject{Attributes: analysisAttributes()},
		},
	})
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the code scanning analyses of a repository (what ran, on which ref, and what it found), every page of them " +
			"(100 per request) unless `max_results` caps the list. Filters are GitHub's own, applied by GitHub. " +
			"A repository code scanning never analyzed has an empty list.",
		Attributes: attributes,
		Blocks:     map[string]schema.Block{"timeouts": readTimeoutsBlock(ctx)},
	}
}

func (d *analysesDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return listFilterConflicts()
}

func (d *analysesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *analysesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config analysesDataSourceModel
	ctx, repo, done, ok := startRead(ctx, d.data, req.Config, &config, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	filter := githubclient.AnalysisFilter{SarifID: config.SarifID.ValueString()}
	config.fill(&filter.ToolName, &filter.ToolGUID, &filter.Ref, &filter.PR, &filter.Sort, &filter.Direction, &filter.Max)
	analyses, err := d.data.client.ListAnalyses(ctx, repo, filter)
	if err != nil {
		addClientError(&resp.Diagnostics, "Cannot list code scanning analyses of "+repo.String(), err)
		return
	}
	tflog.Debug(ctx, "listed code scanning analyses", map[string]any{"repository": repo.String(), "count": len(analyses)})
	config.ID = types.StringValue(repo.String())
	config.Analyses = listOf(analysisObjectType(), analyses, analysisObject)
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}
