package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = &defaultSetupDataSource{}

// NewDefaultSetupDataSource is the codescanning_default_setup data source.
func NewDefaultSetupDataSource() datasource.DataSource {
	return &defaultSetupDataSource{}
}

type defaultSetupDataSource struct {
	data *providerData
}

type defaultSetupDataSourceModel struct {
	ID         types.String `tfsdk:"id"`
	Repository types.String `tfsdk:"repository"`
	defaultSetupSettings
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (d *defaultSetupDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_default_setup"
}

func (d *defaultSetupDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads a repository's CodeQL code scanning **default setup** as GitHub reports it, whoever manages it. " +
			"The attributes are those of the `codescanning_default_setup` resource.",
		Attributes: map[string]schema.Attribute{
			"id":         str("The repository as `owner/name`."),
			"repository": repositoryAttribute(),
			"state":      str("`configured` when default setup is on, `not-configured` when it is off."),
			"languages": schema.SetAttribute{
				MarkdownDescription: "CodeQL languages default setup analyzes, in the names the resource takes (GitHub's older `javascript` and `typescript` read as `javascript-typescript`); empty while it is off.",
				Computed:            true,
				ElementType:         types.StringType,
			},
			"query_suite":  str("CodeQL query suite: `default` or `extended`."),
			"threat_model": str("Threat model: `remote` or `remote_and_local`; null where the server has no threat models (GitHub Enterprise Server 3.17 and older)."),
			"runner_type":  str("Runners for the analysis: `standard` (GitHub-hosted) or `labeled` (self-hosted); null when GitHub reports none."),
			"runner_label": str("Label of the self-hosted runners, with `runner_type = \"labeled\"`; otherwise null."),
			"schedule":     str("How often GitHub analyzes the default branch besides pushes and pull requests (`weekly`), or null."),
			"updated_at":   str("When the configuration last changed (RFC 3339), or null."),
		},
		Blocks: map[string]schema.Block{"timeouts": readTimeoutsBlock(ctx)},
	}
}

func (d *defaultSetupDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *defaultSetupDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config defaultSetupDataSourceModel
	ctx, repo, done, ok := startRead(ctx, d.data, req.Config, &config, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	current, err := d.data.client.GetDefaultSetup(ctx, repo)
	if err != nil {
		addClientError(&resp.Diagnostics, "Cannot read code scanning default setup of "+repo.String(), err)
		return
	}
	config.ID = types.StringValue(repo.String())
	resp.Diagnostics.Append(config.setFromGitHub(ctx, current)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}
