package provider

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/codescanning/terraform-provider-codescanning/internal/clock"
	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
	"github.com/codescanning/terraform-provider-codescanning/internal/provider/validators"
)

var _ provider.Provider = &codeScanningProvider{}

// codeScanningProvider is the provider; settings holds what Go callers (tests) may change that
// a Terraform configuration may not.
type codeScanningProvider struct {
	version  string
	settings settings
}

type settings struct {
	runBackoff            githubclient.Backoff
	conflictBackoff       githubclient.Backoff
	retry                 githubclient.RetryPolicy
	appTokenRefreshBefore time.Duration
	transport             http.RoundTripper
	clock                 clock.Clock
}

// Option changes a provider setting that is not part of its Terraform schema.
type Option func(*settings)

// WithBackoff sets how fast the provider polls runs and retries conflicts: tests use
// milliseconds where GitHub wants seconds.
func WithBackoff(b githubclient.Backoff) Option {
	return func(s *settings) {
		s.runBackoff, s.conflictBackoff = b, b
	}
}

// WithRetryPolicy sets how the client retries and waits out rate limits: tests wait
// milliseconds where GitHub asks for a minute.
func WithRetryPolicy(policy githubclient.RetryPolicy) Option {
	return func(s *settings) { s.retry = policy }
}

// WithAppTokenRefreshBefore sets how long before expiry a GitHub App installation token is
// renewed: tests cross an expiry of seconds.
func WithAppTokenRefreshBefore(d time.Duration) Option {
	return func(s *settings) { s.appTokenRefreshBefore = d }
}

// WithHTTPTransport sets what carries the client's requests: tests reach a host name (such as
// api.NAME.ghe.com) at the emulator.
func WithHTTPTransport(t http.RoundTripper) Option {
	return func(s *settings) { s.transport = t }
}

// WithClock sets the clock every wait of the client reads and sleeps by: tests give a fake one,
// shared with the emulator, so a rate limit's reset or a token's expiry passes at once.
func WithClock(c clock.Clock) Option {
	return func(s *settings) { s.clock = c }
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
	Token          types.String  `tfsdk:"token"`
	AppAuth        *appAuthModel `tfsdk:"app_auth"`
	BaseURL        types.String  `tfsdk:"base_url"`
	Owner          types.String  `tfsdk:"owner"`
	APIVersion     types.String  `tfsdk:"api_version"`
	MaxConcurrency types.Int64   `tfsdk:"max_concurrency"`
	WriteDelay     types.String  `tfsdk:"write_delay"`
	PointsPerMin   types.Int64   `tfsdk:"points_per_minute"`
	CacheDir       types.String  `tfsdk:"cache_dir"`
	InsecureHTTP   types.Bool    `tfsdk:"insecure_http"`
}

// apiVersions are the REST API versions the provider is written against.
var apiVersions = []string{githubclient.DefaultAPIVersion, "2026-03-10"}

// providerData is what Configure hands every resource and data source.
type providerData struct {
	client *githubclient.Client
	owner  string
	// policyViews hands a dismissal policy's alert lists from its refresh to its plan.
	policyViews *policyViewCache
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
				MarkdownDescription: "GitHub token. Credentials are looked for in this order: this `token`; the `app_auth` block; the `GITHUB_TOKEN` " +
					"environment variable, then `GH_TOKEN`; a GitHub App from `GITHUB_APP_ID`, `GITHUB_APP_INSTALLATION_ID` and " +
					"`GITHUB_APP_PRIVATE_KEY` or `GITHUB_APP_PEM_FILE`; and last `gh auth token --hostname HOST` when the GitHub CLI is installed. " +
					"A classic token needs the `repo` scope (`public_repo` for public repositories only), which includes `security_events`; " +
					"a fine-grained token needs the repository permissions **Administration** (write, for default setup), **Code scanning alerts** " +
					"(write, for dismissals), **Actions** (read, to follow default setup runs) and **Contents** (read, for CodeQL databases): see the permissions table. " +
					"Conflicts with `app_auth`.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.ConflictsWith(path.MatchRoot("app_auth"))},
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
			"api_version": schema.StringAttribute{
				MarkdownDescription: "GitHub REST API version to ask for (`X-GitHub-Api-Version`): `" + strings.Join(apiVersions, "` or `") + "`. " +
					"Defaults to `" + githubclient.DefaultAPIVersion + "`; the code scanning operations this provider uses are the same in both. " +
					"GitHub Enterprise Server serves `" + githubclient.DefaultAPIVersion + "` only, so against it (a `base_url` of GHES) any other version fails at plan time.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(apiVersions...)},
			},
			"max_concurrency": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Most requests to GitHub in flight at once, across all resources (1 to 100). Defaults to %d: ", githubclient.DefaultMaxConcurrency) +
					"Terraform's own default `-parallelism`, well below the 100 concurrent requests GitHub allows, which its guidance asks integrations not to approach.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(1, 100)},
			},
			"write_delay": schema.StringAttribute{
				MarkdownDescription: "Least time between the starts of two requests that change GitHub, as GitHub's guidance asks of integrations that make many, " +
					"so that a large apply does not trip the secondary rate limit. A duration such as `\"1s\"` (the default) or `\"0s\"` for none.",
				Optional:   true,
				Validators: []validator.String{validators.Duration()},
			},
			"points_per_minute": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Most of GitHub's secondary-rate-limit points the provider spends in any minute: a read costs 1 point and a change 5, and GitHub allows 900. Defaults to %d, ", githubclient.DefaultPointsPerMinute) +
					"which leaves room for other clients of the same credential; requests over it wait until the minute has room, so a refresh of 1,000 repositories takes a little over a minute instead of tripping the limit. " +
					"`0` sets no budget (for GitHub Enterprise Server whose administrator has raised or turned off the limit).",
				Optional:   true,
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
			"insecure_http": schema.BoolAttribute{
				MarkdownDescription: "Allow `base_url` to use plain `http://` for a host other than this machine (`localhost`, `127.0.0.0/8`, `::1`). " +
					"The token then crosses the network unencrypted, so without this setting such a `base_url` fails the plan. " +
					"Set it only for a proxy on a network you trust. Defaults to `false`.",
				Optional: true,
			},
			"cache_dir": schema.StringAttribute{
				MarkdownDescription: "Directory that keeps GitHub's answers between runs, so the next plan revalidates them with `If-None-Match` and GitHub's `304 Not Modified` " +
					"answers do not count against the rate limit. Entries are keyed by a hash of the credential, URL and API version, so a different token never reads " +
					"another's; no credential is written. Without it the cache lasts one Terraform command. Entries no command has used for 30 days are removed when the provider starts. " +
					"It also keeps the last minute of `points_per_minute` spending, so that the provider process of an apply (or of a command run right after another) starts from what the one before it spent.",
				Optional: true,
			},
		},
		Blocks: map[string]schema.Block{
			"app_auth": schema.SingleNestedBlock{
				MarkdownDescription: "Authenticate as a GitHub App installation; the provider mints installation tokens and renews them before they expire. " +
					"Each setting falls back to its environment variable. The App needs the repository permissions **Administration** (write, for default setup), " +
					"**Code scanning alerts** (write, for dismissals), **Actions** (read, to follow the run each default setup change starts; without it the " +
					"provider waits for GitHub to show the configuration instead) and **Contents** (read, for CodeQL databases). Conflicts with `token`.",
				Attributes: map[string]schema.Attribute{
					"id": schema.StringAttribute{
						MarkdownDescription: "The App's ID, or its client ID. Defaults to `GITHUB_APP_ID`.",
						Optional:            true,
					},
					"installation_id": schema.StringAttribute{
						MarkdownDescription: "The ID of the App's installation on the organization or account that owns the repositories. Defaults to `GITHUB_APP_INSTALLATION_ID`.",
						Optional:            true,
						Validators:          []validator.String{stringvalidator.RegexMatches(regexp.MustCompile(`^[1-9][0-9]*$`), "must be the installation's number")},
					},
					"private_key": schema.StringAttribute{
						MarkdownDescription: "The App's private key, PEM-encoded (PKCS #1 or PKCS #8); `\\n` escapes are accepted for line breaks. Defaults to `GITHUB_APP_PRIVATE_KEY`. Conflicts with `private_key_file`.",
						Optional:            true,
						Sensitive:           true,
						Validators:          []validator.String{stringvalidator.ConflictsWith(path.MatchRelative().AtParent().AtName("private_key_file"))},
					},
					"private_key_file": schema.StringAttribute{
						MarkdownDescription: "Path of a file holding the App's PEM private key. Defaults to `GITHUB_APP_PEM_FILE`.",
						Optional:            true,
					},
				},
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
	settings := map[string]attr.Value{
		"token": config.Token, "base_url": config.BaseURL, "owner": config.Owner, "api_version": config.APIVersion,
		"max_concurrency": config.MaxConcurrency, "write_delay": config.WriteDelay, "points_per_minute": config.PointsPerMin, "cache_dir": config.CacheDir,
		"insecure_http": config.InsecureHTTP,
	}
	if config.AppAuth != nil {
		settings["app_auth.id"], settings["app_auth.installation_id"] = config.AppAuth.ID, config.AppAuth.InstallationID
		settings["app_auth.private_key"], settings["app_auth.private_key_file"] = config.AppAuth.PrivateKey, config.AppAuth.PrivateKeyFile
	}
	for _, name := range slices.Sorted(maps.Keys(settings)) {
		if settings[name].IsUnknown() {
			resp.Diagnostics.AddError("Unknown provider setting",
				"The provider's "+name+" depends on a value that is not known until apply. Set it from a value known at plan time, or from its environment variable.")
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	baseURL := firstSet(config.BaseURL.ValueString(), os.Getenv("GITHUB_BASE_URL"))
	apiRoot, err := githubclient.ResolveBaseURL(baseURL)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Invalid base_url",
			"Write the GitHub address as https://HOST (GitHub Enterprise Server), https://NAME.ghe.com, or a full API URL.\n\nOriginal Error: "+err.Error())
		return
	}
	checkAPIVersionForServer(&resp.Diagnostics, config.APIVersion.ValueString(), baseURL)
	checkPlainHTTP(&resp.Diagnostics, config.BaseURL.ValueString(), config.InsecureHTTP.ValueBool())
	if resp.Diagnostics.HasError() {
		return
	}
	cred, diags := resolveCredential(ctx, config, apiRoot)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if cred.app != nil {
		cred.app.RefreshBefore = p.settings.appTokenRefreshBefore
	}
	writeDelay := githubclient.DefaultWriteDelay
	if !config.WriteDelay.IsNull() {
		writeDelay, _ = time.ParseDuration(config.WriteDelay.ValueString()) // checked by the schema's validator
	}
	pointsPerMinute := githubclient.DefaultPointsPerMinute
	if !config.PointsPerMin.IsNull() {
		pointsPerMinute = int(config.PointsPerMin.ValueInt64())
	}
	// Defence in depth: should a secret ever reach a log message or field, tflog masks it.
	mask := func(ctx context.Context) context.Context {
		ctx = tflog.MaskMessageStrings(ctx, cred.secrets...)
		return tflog.MaskAllFieldValuesStrings(ctx, cred.secrets...)
	}
	client, err := githubclient.New(githubclient.Config{
		BaseURL:           baseURL,
		Token:             cred.token,
		App:               cred.app,
		UserAgent:         "terraform-provider-codescanning/" + p.version,
		APIVersion:        config.APIVersion.ValueString(),
		Transport:         p.settings.transport,
		Retry:             p.settings.retry,
		MaxConcurrency:    int(config.MaxConcurrency.ValueInt64()),
		WriteDelay:        writeDelay,
		PointsPerMinute:   pointsPerMinute,
		CacheDir:          config.CacheDir.ValueString(),
		AllowInsecureHTTP: config.InsecureHTTP.ValueBool(),
		RunBackoff:        p.settings.runBackoff,
		ConflictBackoff:   p.settings.conflictBackoff,
		Clock:             p.settings.clock,
		Log: func(ctx context.Context, msg string, fields map[string]any) {
			tflog.Debug(mask(ctx), msg, fields)
		},
		Warn: func(ctx context.Context, msg string, fields map[string]any) {
			tflog.Warn(mask(ctx), msg, fields)
		},
		Info: func(ctx context.Context, msg string, fields map[string]any) {
			tflog.Info(mask(ctx), msg, fields)
		},
	})
	if err != nil {
		addConfigureError(&resp.Diagnostics, err)
		return
	}
	tflog.Debug(ctx, "configured GitHub client", map[string]any{
		"base_url": client.BaseURL(), "credential": cred.source, "write_delay": writeDelay.String(), "points_per_minute": pointsPerMinute, "cache_dir": config.CacheDir.ValueString(),
	})
	data := &providerData{client: client, owner: firstSet(config.Owner.ValueString(), os.Getenv("GITHUB_OWNER")), policyViews: &policyViewCache{}}
	resp.ResourceData = data
	resp.DataSourceData = data
}

func (p *codeScanningProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewDefaultSetupResource,
		NewAlertDismissalResource,
		NewSecurityConfigurationResource,
		NewAlertDismissalPolicyResource,
		NewSecurityConfigurationAttachmentResource,
	}
}

func (p *codeScanningProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewAlertsDataSource,
		NewAlertDataSource,
		NewAlertInstancesDataSource,
		NewAnalysesDataSource,
		NewAnalysisDataSource,
		NewCodeQLDatabasesDataSource,
		NewCodeQLDatabaseDataSource,
		NewDefaultSetupDataSource,
		NewSarifUploadDataSource,
		NewSecurityConfigurationsDataSource,
		NewSecurityConfigurationDataSource,
		NewRepositorySecurityConfigurationDataSource,
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
