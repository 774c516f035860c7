package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = &sarifUploadDataSource{}

// NewSarifUploadDataSource is the codescanning_sarif_upload data source.
func NewSarifUploadDataSource() datasource.DataSource {
	return &sarifUploadDataSource{}
}

type sarifUploadDataSource struct {
	data *providerData
}

type sarifUploadDataSourceModel struct {
	ID               types.String   `tfsdk:"id"`
	Repository       types.String   `tfsdk:"repository"`
	SarifID          types.String   `tfsdk:"sarif_id"`
	ProcessingStatus types.String   `tfsdk:"processing_status"`
	AnalysesURL      types.String   `tfsdk:"analyses_url"`
	Errors           types.List     `tfsdk:"errors"`
	Timeouts         timeouts.Value `tfsdk:"timeouts"`
}

func (d *sarifUploadDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sarif_upload"
}

func (d *sarifUploadDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads where GitHub stands with processing a SARIF upload: `pending`, `complete` (with the analyses it made) " +
			"or `failed` (with GitHub's errors). The status is read once, at plan time; nothing waits for processing to end.",
		Attributes: map[string]schema.Attribute{
			"id":         schema.StringAttribute{MarkdownDescription: "`owner/name/sarif_id`.", Computed: true},
			"repository": repositoryAttribute(),
			"sarif_id": schema.StringAttribute{
				MarkdownDescription: "The upload's ID, as GitHub answered the upload (`id`) or as an analysis names it (`sarif_id`).",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"processing_status": schema.StringAttribute{
				MarkdownDescription: "`pending` while GitHub processes the upload, `complete` once its results are stored, `failed` when it could not be processed (or only in part).",
				Computed:            true,
			},
			"analyses_url": schema.StringAttribute{
				MarkdownDescription: "API URL listing the analyses the upload made; null until processing is complete.",
				Computed:            true,
			},
			"errors": schema.ListAttribute{
				MarkdownDescription: "GitHub's errors from processing the upload; empty unless it failed.",
				Computed:            true,
				ElementType:         types.StringType,
			},
		},
		Blocks: map[string]schema.Block{"timeouts": readTimeoutsBlock(ctx)},
	}
}

func (d *sarifUploadDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *sarifUploadDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config sarifUploadDataSourceModel
	ctx, repo, done, ok := startRead(ctx, d.data, req.Config, &config, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	id := config.SarifID.ValueString()
	upload, err := d.data.client.GetSarifUpload(ctx, repo, id)
	if err != nil {
		addLookupError(&resp.Diagnostics, path.Root("sarif_id"), fmt.Sprintf("Cannot read SARIF upload %s of %s", id, repo),
			fmt.Sprintf("GitHub has no SARIF upload %s in %s. Check the ID against the upload's answer, and that it was uploaded to this repository.", id, repo), err)
		return
	}
	config.ID = types.StringValue(repo.String() + "/" + id)
	config.ProcessingStatus = types.StringValue(upload.ProcessingStatus)
	config.AnalysesURL = types.StringPointerValue(upload.AnalysesURL)
	config.Errors = stringList(upload.Errors)
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}
