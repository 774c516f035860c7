package provider

import (
	"context"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

var _ provider.ProviderWithConfigValidators = &codeScanningProvider{}

// ConfigValidators checks, at plan time, that base_url does not send the credential over plain
// HTTP to another machine unless insecure_http says so. Configure checks again, for values known
// late.
func (p *codeScanningProvider) ConfigValidators(context.Context) []provider.ConfigValidator {
	return []provider.ConfigValidator{plainHTTPValidator{}}
}

type plainHTTPValidator struct{}

func (plainHTTPValidator) Description(context.Context) string {
	return "base_url uses https://, or http:// to loopback, unless insecure_http = true"
}

func (v plainHTTPValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (plainHTTPValidator) ValidateProvider(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	var baseURL types.String
	var insecure types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("base_url"), &baseURL)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("insecure_http"), &insecure)...)
	if resp.Diagnostics.HasError() || baseURL.IsUnknown() || insecure.IsUnknown() {
		return
	}
	checkPlainHTTP(&resp.Diagnostics, baseURL.ValueString(), insecure.ValueBool())
}

// checkPlainHTTP adds a base_url error when the API root that base_url (or GITHUB_BASE_URL)
// names is plain HTTP to another machine and insecure_http is not set. A base_url that is not
// a URL at all is Configure's to report.
func checkPlainHTTP(diags *diag.Diagnostics, configured string, insecure bool) {
	raw, from := configured, "base_url"
	if raw == "" {
		raw, from = os.Getenv("GITHUB_BASE_URL"), "GITHUB_BASE_URL"
	}
	apiRoot, err := githubclient.ResolveBaseURL(raw)
	if err != nil {
		return
	}
	if err := githubclient.CheckTransportSecurity(apiRoot, insecure); err != nil {
		diags.AddAttributeError(path.Root("base_url"), "base_url would send the token unencrypted",
			from+" uses http:// for a host other than this machine, so the token would cross the network in clear text. "+
				"Use https://; or, only if the network between is trusted (a proxy on a private network), set insecure_http = true in the provider block."+
				"\n\nOriginal Error: "+err.Error())
	}
}
