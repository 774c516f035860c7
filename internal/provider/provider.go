package provider

import (
	"context"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
	"github.com/codescanning/terraform-provider-codescanning/internal/wait"
)

var _ provider.Provider = &codeScanningProvider{}

// codeScanningProvider is the provider; settings holds what Go callers (tests) may change that
// a Terraform configuration may not.
type codeScanningProvider struct {
	version  string
	settings settings
}

type settings struct {
	runBackoff      wait.Backoff
	conflictBackoff wait.Backoff
}

// Option changes a provider setting that is not part of its Terraform schema.
type Option func(*settings)

// WithBackoff sets how fast the provider polls runs and retries conflicts: tests use
// milliseconds where GitHub wants seconds.
func WithBackoff(b wait.Backoff) Option {
	return func(s *settings) {
		s.runBackoff, s.conflictBackoff = b, b
	}
}

// New returns the provider's factory, as providerserver.Serve wants it.
func New(version string, opts ...Option) func() provider.Provider {
	return func() provider.Provider {
		p := &codeScanningProvider{version: version}
		for _, opt := range opts {
			opt(&p.settings)
		}
		return p
	}
}

type providerModel struct {
	Token   types.String `tfsdk:"token"`
	BaseURL types.String `tfsdk:"base_url"`
	Owner   types.String `tfsdk:"owner"`
}

// providerData is what Configure hands every resource and data source.
type providerData struct {
	client *githubclient.Client
	owner  string
}

func (p *codeScanningProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "codescanning"
	resp.Version = p.version
}

func (p *codeScanningProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages GitHub code scanning as code: CodeQL default setup, alert dismissals, and data sources for what code scanning found.",
		Attributes: map[string]schema.Attribute{
			"token": schema.StringAttribute{
				MarkdownDescription: "GitHub token. Defaults to the `GITHUB_TOKEN` environment variable, then `GH_TOKEN`. " +
					"A classic token needs the `repo` scope (`public_repo` for public repositories only) and `security_events`; " +
					"a fine-grained token needs the repository's **Administration** (write, for default setup) and **Code scanning alerts** permissions.",
				Optional:  true,
				Sensitive: true,
			},
			"base_url": schema.StringAttribute{
				MarkdownDescription: "GitHub API address. Defaults to `GITHUB_BASE_URL`, then `https://api.github.com/`. " +
					"`https://NAME.ghe.com` means GHE.com's `https://api.NAME.ghe.com/`; any other host with no path is GitHub Enterprise Server " +
					"and means `https://HOST/api/v3/`; a URL with a path is used as given.",
				Optional: true,
			},
			"owner": schema.StringAttribute{
				MarkdownDescription: "Default repository owner (user or organization). Defaults to `GITHUB_OWNER`. Lets a resource say `repository = \"name\"` instead of `\"owner/name\"`.",
				Optional:            true,
			},
		},
	}
}

func (p *codeScanningProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for name, value := range map[string]types.String{"token": config.Token, "base_url": config.BaseURL, "owner": config.Owner} {
		if value.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(name), "Unknown provider setting",
				"The provider's "+name+" depends on a value that is not known until apply. Set it from a value known at plan time, or from its environment variable.")
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	token := firstSet(config.Token.ValueString(), os.Getenv("GITHUB_TOKEN"), os.Getenv("GH_TOKEN"))
	if token == "" {
		resp.Diagnostics.AddAttributeError(path.Root("token"), "No GitHub token",
			"Set the provider's token, or the GITHUB_TOKEN or GH_TOKEN environment variable, to a token that can manage code scanning for your repositories.")
		return
	}
	baseURL := firstSet(config.BaseURL.ValueString(), os.Getenv("GITHUB_BASE_URL"))
	if _, err := githubclient.ResolveBaseURL(baseURL); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Invalid base_url",
			"Write the GitHub address as https://HOST (GitHub Enterprise Server), https://NAME.ghe.com, or a full API URL.\n\nOriginal Error: "+err.Error())
		return
	}
	client, err := githubclient.New(githubclient.Config{
		BaseURL:         baseURL,
		Token:           token,
		UserAgent:       "terraform-provider-codescanning/" + p.version,
		RunBackoff:      p.settings.runBackoff,
		ConflictBackoff: p.settings.conflictBackoff,
		Log: func(ctx context.Context, msg string, fields map[string]any) {
			tflog.Debug(ctx, msg, fields)
		},
	})
	if err != nil {
		resp.Diagnostics.AddError("Cannot configure the GitHub client", "Check the provider's settings.\n\nOriginal Error: "+err.Error())
		return
	}
	tflog.Debug(ctx, "configured GitHub client", map[string]any{"base_url": client.BaseURL()})
	data := &providerData{client: client, owner: firstSet(config.Owner.ValueString(), os.Getenv("GITHUB_OWNER"))}
	resp.ResourceData = data
	resp.DataSourceData = data
}

func (p *codeScanningProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewDefaultSetupResource,
		NewAlertDismissalResource,
	}
}

func (p *codeScanningProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewAlertsDataSource,
		NewAlertDataSource,
		NewAlertInstancesDataSource,
	}
}

func firstSet(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
