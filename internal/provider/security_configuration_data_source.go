package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

var _ datasource.DataSourceWithConfigure = &securityConfigurationDataSource{}

// NewSecurityConfigurationDataSource is the codescanning_security_configuration data source.
func NewSecurityConfigurationDataSource() datasource.DataSource {
	return &securityConfigurationDataSource{}
}

type securityConfigurationDataSource struct {
	data *providerData
}

type securityConfigurationDataSourceModel struct {
	Organization types.String `tfsdk:"organization"`
	securityConfigurationObject
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (d *securityConfigurationDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_security_configuration"
}

func (d *securityConfigurationDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := securityConfigurationAttributes()
	attrs["organization"] = schema.StringAttribute{
		MarkdownDescription: "The organization.",
		Required:            true,
		Validators:          []validator.String{stringvalidator.RegexMatches(organizationPattern, "must be an organization's login, without a slash")},
	}
	attrs["configuration_id"] = schema.Int64Attribute{
		MarkdownDescription: "The configuration's ID. Exactly one of `configuration_id` and `name`.",
		Optional:            true,
		Computed:            true,
		Validators:          []validator.Int64{int64validator.ExactlyOneOf(path.MatchRoot("name")), int64validator.AtLeast(1)},
	}
	attrs["name"] = schema.StringAttribute{
		MarkdownDescription: "The configuration's name: the organization's own, its enterprise's or GitHub's (`GitHub recommended`).",
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one code security configuration an organization can use, by ID or by name: its own, its enterprise's or " +
			"GitHub's (such as \"GitHub recommended\", to attach it with `codescanning_security_configuration_attachment`).",
		Attributes: attrs,
		Blocks:     map[string]schema.Block{"timeouts": readTimeoutsBlock(ctx)},
	}
}

func (d *securityConfigurationDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *securityConfigurationDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config securityConfigurationDataSourceModel
	ctx, done, ok := startOrgOperation(ctx, req.Config, &config, timeouts.Value.Read, dataSourceReadTimeout, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	org := config.Organization.ValueString()
	var cfg *githubclient.SecurityConfiguration
	var err error
	if !config.ConfigurationID.IsNull() {
		id := config.ConfigurationID.ValueInt64()
		cfg, err = d.data.client.GetSecurityConfiguration(ctx, org, id)
		if err != nil {
			addLookupError(&resp.Diagnostics, path.Root("configuration_id"), fmt.Sprintf("Cannot read code security configuration %d of %s", id, org),
				fmt.Sprintf("GitHub has no code security configuration %d that %s can use (the codescanning_security_configurations data source lists them), "+
					"or the token's user is not an owner or security manager of the organization.", id, org), err)
			return
		}
	} else {
		name := config.Name.ValueString()
		cfg, err = d.data.client.FindSecurityConfiguration(ctx, org, name)
		if err != nil {
			addClientError(&resp.Diagnostics, fmt.Sprintf("Cannot find code security configuration %q of %s", name, org), err)
			return
		}
		if cfg == nil {
			resp.Diagnostics.AddAttributeError(path.Root("name"), fmt.Sprintf("No code security configuration %q in %s", name, org),
				"Neither the organization, its enterprise nor GitHub has a configuration of that name (names are compared exactly). "+
					"The codescanning_security_configurations data source lists them.")
			return
		}
	}
	defaults, err := d.data.client.ListDefaultSecurityConfigurations(ctx, org)
	if err != nil {
		addClientError(&resp.Diagnostics, "Cannot read the default code security configurations of "+org, err)
		return
	}
	config.securityConfigurationObject = securityConfigurationObjectOf(cfg, githubclient.DefaultForNewRepos(defaults, cfg.ID))
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}
