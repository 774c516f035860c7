package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = &analysisDataSource{}

// NewAnalysisDataSource is the codescanning_analysis data source.
func NewAnalysisDataSource() datasource.DataSource {
	return &analysisDataSource{}
}

type analysisDataSource struct {
	data *providerData
}

func (d *analysisDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_analysis"
}

func (d *analysisDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := analysisAttributes()
	attributes["id"] = schema.StringAttribute{MarkdownDescription: "`owner/name/analysis_id`.", Computed: true}
	attributes["repository"] = repositoryAttribute()
	attributes["analysis_id"] = schema.Int64Attribute{
		MarkdownDescription: "The analysis's ID, e.g. from `codescanning_analyses`.",
		Required:            true,
		Validators:          []validator.Int64{int64validator.AtLeast(1)},
	}
	attributes["sarif"] = schema.BoolAttribute{
		MarkdownDescription: "Also read the analysis as its SARIF 2.1.0 log, into `sarif_json`. Default `false`: the log can be large.",
		Optional:            true,
	}
	attributes["sarif_json"] = schema.StringAttribute{
		MarkdownDescription: "With `sarif = true`, the SARIF 2.1.0 log of the analysis's results as GitHub serves it (`application/sarif+json`), " +
			"a JSON string for `jsondecode`; otherwise null.",
		Computed: true,
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one code scanning analysis: the ref, commit and tool it ran with and what it found, " +
			"and optionally its results as a SARIF log.",
		Attributes: attributes,
		Blocks:     map[string]schema.Block{"timeouts": readTimeoutsBlock(ctx)},
	}
}

func (d *analysisDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *analysisDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var analysisID types.Int64
	var sarif types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("analysis_id"), &analysisID)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("sarif"), &sarif)...)
	ctx, repo, done, ok := startRead(ctx, d.data, req.Config, nil, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	id := analysisID.ValueInt64()
	summary := fmt.Sprintf("Cannot read code scanning analysis %d of %s", id, repo)
	notFound := fmt.Sprintf("GitHub has no analysis %d in %s. List the repository's analyses with the codescanning_analyses data source to find an ID.", id, repo)
	analysis, err := d.data.client.GetAnalysis(ctx, repo, id)
	if err != nil {
		addLookupError(&resp.Diagnostics, path.Root("analysis_id"), summary, notFound, err)
		return
	}
	values := analysisValues(*analysis)
	values["sarif_json"] = types.StringNull()
	if sarif.ValueBool() {
		log, err := d.data.client.GetAnalysisSARIF(ctx, repo, id)
		if err != nil {
			addLookupError(&resp.Diagnostics, path.Root("analysis_id"), summary+" as SARIF", notFound, err)
			return
		}
		values["sarif_json"] = types.StringValue(strings.TrimSpace(string(log)))
	}
	values["id"] = types.StringValue(fmt.Sprintf("%s/%d", repo, id))
	setFromConfig(ctx, req.Config, &resp.State, values, &resp.Diagnostics)
}
