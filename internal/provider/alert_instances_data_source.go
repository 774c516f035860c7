package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

var (
	_ datasource.DataSourceWithConfigure        = &alertInstancesDataSource{}
	_ datasource.DataSourceWithConfigValidators = &alertInstancesDataSource{}
)

// NewAlertInstancesDataSource is the codescanning_alert_instances data source.
func NewAlertInstancesDataSource() datasource.DataSource {
	return &alertInstancesDataSource{}
}

type alertInstancesDataSource struct {
	data *providerData
}

type alertInstancesDataSourceModel struct {
	ID          types.String   `tfsdk:"id"`
	Repository  types.String   `tfsdk:"repository"`
	AlertNumber types.Int64    `tfsdk:"alert_number"`
	Ref         types.String   `tfsdk:"ref"`
	PR          types.Int64    `tfsdk:"pr"`
	Instances   types.List     `tfsdk:"instances"`
	Timeouts    timeouts.Value `tfsdk:"timeouts"`
}

func (d *alertInstancesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_alert_instances"
}

func (d *alertInstancesDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists every place a code scanning alert was found, on every ref or on one.",
		Attributes: map[string]schema.Attribute{
			"id":         schema.StringAttribute{MarkdownDescription: "`owner/name/number`.", Computed: true},
			"repository": repositoryAttribute(),
			"alert_number": schema.Int64Attribute{
				MarkdownDescription: "The alert's number.",
				Required:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"ref": schema.StringAttribute{MarkdownDescription: "Only instances on this Git reference. Not with `pr`.", Optional: true},
			"pr": schema.Int64Attribute{
				MarkdownDescription: "Only instances on this pull request. Not with `ref`.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"instances": schema.ListNestedAttribute{
				MarkdownDescription: "The instances, as GitHub lists them.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: alertInstanceAttributes()},
			},
		},
		Blocks: map[string]schema.Block{"timeouts": readTimeoutsBlock(ctx)},
	}
}

func (d *alertInstancesDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.Conflicting(path.MatchRoot("ref"), path.MatchRoot("pr"))}
}

func (d *alertInstancesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *alertInstancesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config alertInstancesDataSourceModel
	ctx, repo, done, ok := startRead(ctx, d.data, req.Config, &config, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	number := int(config.AlertNumber.ValueInt64())
	instances, err := d.data.client.ListAlertInstances(ctx, repo, number, githubclient.InstanceFilter{Ref: config.Ref.ValueString(), PR: int(config.PR.ValueInt64())})
	if err != nil {
		addAlertError(&resp.Diagnostics, fmt.Sprintf("Cannot list instances of code scanning alert %d of %s", number, repo), repo, number, err)
		return
	}
	config.ID = types.StringValue(alertID(repo, number))
	config.Instances = listOf(alertInstanceObjectType(), instances, alertInstanceObject)
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}
