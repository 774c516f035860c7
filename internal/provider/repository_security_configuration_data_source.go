package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = &repositorySecurityConfigurationDataSource{}

// NewRepositorySecurityConfigurationDataSource is the codescanning_repository_security_configuration data source.
func NewRepositorySecurityConfigurationDataSource() datasource.DataSource {
	return &repositorySecurityConfigurationDataSource{}
}

type repositorySecurityConfigurationDataSource struct {
	data *providerData
}

type repositorySecurityConfigurationModel struct {
	ID            types.String   `tfsdk:"id"`
	Repository    types.String   `tfsdk:"repository"`
	Status        types.String   `tfsdk:"status"`
	Configuration types.Object   `tfsdk:"configuration"`
	Timeouts      timeouts.Value `tfsdk:"timeouts"`
}

func (d *repositorySecurityConfigurationDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_repository_security_configuration"
}

func (d *repositorySecurityConfigurationDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the code security configuration attached to a repository, and the repository's status in it: " +
			"which configuration manages its settings (code scanning default setup among them), and whether it is enforced.",
		Attributes: map[string]schema.Attribute{
			"id":         schema.StringAttribute{MarkdownDescription: "The repository as `owner/name`.", Computed: true},
			"repository": repositoryAttribute(),
			"status": schema.StringAttribute{
				MarkdownDescription: "The repository's status in the configuration: `attached`, `attaching`, `enforced` (attached to an enforced configuration), " +
					"`failed`, `updating`, `detached`, `removed` or `removed_by_enterprise`; null when no configuration is attached.",
				Computed: true,
			},
			"configuration": schema.SingleNestedAttribute{
				MarkdownDescription: "The configuration, with the attributes of the `codescanning_security_configuration` data source " +
					"(`default_for_new_repos` is null here: it takes the organization's permission to read); null when none is attached.",
				Computed:   true,
				Attributes: securityConfigurationAttributes(),
			},
		},
		Blocks: map[string]schema.Block{"timeouts": readTimeoutsBlock(ctx)},
	}
}

func (d *repositorySecurityConfigurationDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *repositorySecurityConfigurationDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config repositorySecurityConfigurationModel
	ctx, repo, done, ok := startRead(ctx, d.data, req.Config, &config, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	rc, err := d.data.client.GetRepositorySecurityConfiguration(ctx, repo)
	if err != nil {
		addClientError(&resp.Diagnostics, "Cannot read the code security configuration of "+repo.String(), err)
		return
	}
	config.ID = types.StringValue(repo.String())
	config.Status = types.StringNull()
	config.Configuration = types.ObjectNull(securityConfigurationObjectAttrTypes())
	if rc != nil {
		config.Status = stringOrNull(rc.Status)
		object, diags := types.ObjectValueFrom(ctx, securityConfigurationObjectAttrTypes(), securityConfigurationObjectOf(rc.Configuration, ""))
		resp.Diagnostics.Append(diags...)
		config.Configuration = object
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}
