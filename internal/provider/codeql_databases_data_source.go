package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = &codeQLDatabasesDataSource{}

// NewCodeQLDatabasesDataSource is the codescanning_codeql_databases data source.
func NewCodeQLDatabasesDataSource() datasource.DataSource {
	return &codeQLDatabasesDataSource{}
}

type codeQLDatabasesDataSource struct {
	data *providerData
}

type codeQLDatabasesDataSourceModel struct {
	ID         types.String   `tfsdk:"id"`
	Repository types.String   `tfsdk:"repository"`
	Databases  types.List     `tfsdk:"databases"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
}

func (d *codeQLDatabasesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_codeql_databases"
}

func (d *codeQLDatabasesDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the CodeQL databases GitHub keeps for a repository, at most one per language, " +
			"as default setup and the CodeQL action upload them. Metadata only: the databases themselves are not downloaded. " +
			"GitHub Enterprise Server has no CodeQL database API (no release up to 3.19): there, reading fails with an error naming the server's release.",
		Attributes: map[string]schema.Attribute{
			"id":         schema.StringAttribute{MarkdownDescription: "The repository as `owner/name`.", Computed: true},
			"repository": repositoryAttribute(),
			"databases": schema.ListNestedAttribute{
				MarkdownDescription: "The databases, in the order GitHub lists them; empty when there are none.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: codeQLDatabaseAttributes()},
			},
		},
		Blocks: map[string]schema.Block{"timeouts": readTimeoutsBlock(ctx)},
	}
}

func (d *codeQLDatabasesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *codeQLDatabasesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config codeQLDatabasesDataSourceModel
	ctx, repo, done, ok := startRead(ctx, d.data, req.Config, &config, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	databases, err := d.data.client.ListCodeQLDatabases(ctx, repo)
	if err != nil {
		addClientError(&resp.Diagnostics, "Cannot list CodeQL databases of "+repo.String(), err)
		return
	}
	config.ID = types.StringValue(repo.String())
	config.Databases = listOf(codeQLDatabaseObjectType(), databases, codeQLDatabaseObject)
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}
