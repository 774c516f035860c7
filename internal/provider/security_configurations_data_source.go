package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

var _ datasource.DataSourceWithConfigure = &securityConfigurationsDataSource{}

// NewSecurityConfigurationsDataSource is the codescanning_security_configurations data source.
func NewSecurityConfigurationsDataSource() datasource.DataSource {
	return &securityConfigurationsDataSource{}
}

type securityConfigurationsDataSource struct {
	data *providerData
}

type securityConfigurationsDataSourceModel struct {
	Organization   types.String   `tfsdk:"organization"`
	TargetType     types.String   `tfsdk:"target_type"`
	Configurations types.List     `tfsdk:"configurations"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
}

func (d *securityConfigurationsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_security_configurations"
}

func (d *securityConfigurationsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the code security configurations an organization can use: its own, its enterprise's and GitHub's " +
			"(such as \"GitHub recommended\"), with every setting and what each is the default for.",
		Attributes: map[string]schema.Attribute{
			"organization": schema.StringAttribute{
				MarkdownDescription: "The organization.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(organizationPattern, "must be an organization's login, without a slash")},
			},
			"target_type": schema.StringAttribute{
				MarkdownDescription: "Which to list: `" + strings.Join(configurationListedTarget, "`, `") + "` (the default: every one).",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(configurationListedTarget...)},
			},
			"configurations": schema.ListNestedAttribute{
				MarkdownDescription: "The configurations, in GitHub's order.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: securityConfigurationAttributes()},
			},
		},
		Blocks: map[string]schema.Block{"timeouts": readTimeoutsBlock(ctx)},
	}
}

func (d *securityConfigurationsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *securityConfigurationsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config securityConfigurationsDataSourceModel
	ctx, done, ok := startOrgOperation(ctx, req.Config, &config, timeouts.Value.Read, dataSourceReadTimeout, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	org := config.Organization.ValueString()
	targetType := config.TargetType.ValueString()
	if targetType == "" {
		targetType = "all"
	}
	all, err := d.data.client.ListSecurityConfigurations(ctx, org, targetType)
	if err != nil {
		addClientError(&resp.Diagnostics, "Cannot list the code security configurations of "+org, err)
		return
	}
	defaults, err := d.data.client.ListDefaultSecurityConfigurations(ctx, org)
	if err != nil {
		addClientError(&resp.Diagnostics, "Cannot read the default code security configurations of "+org, err)
		return
	}
	objects := make([]securityConfigurationObject, len(all))
	for i := range all {
		objects[i] = securityConfigurationObjectOf(&all[i], githubclient.DefaultForNewRepos(defaults, all[i].ID))
	}
	list, diags := types.ListValueFrom(ctx, securityConfigurationObjectType(), objects)
	resp.Diagnostics.Append(diags...)
	config.Configurations = list
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}
