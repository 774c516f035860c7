package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = &alertDataSource{}

// NewAlertDataSource is the codescanning_alert data source.
func NewAlertDataSource() datasource.DataSource {
	return &alertDataSource{}
}

type alertDataSource struct {
	data *providerData
}

func (d *alertDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_alert"
}

func (d *alertDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := alertAttributes()
	attributes["repository_full_name"] = schema.StringAttribute{MarkdownDescription: "`owner/name` of the alert's repository.", Computed: true}
	attributes["id"] = schema.StringAttribute{MarkdownDescription: "`owner/name/number`.", Computed: true}
	attributes["repository"] = repositoryAttribute()
	attributes["alert_number"] = schema.Int64Attribute{
		MarkdownDescription: "The alert's number.",
		Required:            true,
		Validators:          []validator.Int64{int64validator.AtLeast(1)},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one code scanning alert: its rule, tool, where it was last found, and its dismissal.",
		Attributes:          attributes,
		Blocks:              map[string]schema.Block{"timeouts": readTimeoutsBlock(ctx)},
	}
}

func (d *alertDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *alertDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var alertNumber types.Int64
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("alert_number"), &alertNumber)...)
	ctx, repo, done, ok := startRead(ctx, d.data, req.Config, nil, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	number := int(alertNumber.ValueInt64())
	alert, err := d.data.client.GetAlert(ctx, repo, number)
	if err != nil {
		addAlertError(&resp.Diagnostics, fmt.Sprintf("Cannot read code scanning alert %d of %s", number, repo), repo, number, err)
		return
	}
	values := alertValues(*alert)
	values["repository_full_name"] = types.StringValue(repo.String())
	values["id"] = types.StringValue(alertID(repo, number))
	setFromConfig(ctx, req.Config, &resp.State, values, &resp.Diagnostics)
}
