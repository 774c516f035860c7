package provider

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

var _ provider.ProviderWithValidateConfig = &codeScanningProvider{}

// ValidateConfig refuses, at plan time, an api_version the server cannot serve: GitHub
// Enterprise Server (known from base_url) serves 2022-11-28 only and would answer every request
// 400. Values not known yet are checked again in Configure.
func (p *codeScanningProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	var apiVersion, baseURL types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("api_version"), &apiVersion)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("base_url"), &baseURL)...)
	if resp.Diagnostics.HasError() || apiVersion.IsUnknown() || baseURL.IsUnknown() {
		return
	}
	checkAPIVersionForServer(&resp.Diagnostics, apiVersion.ValueString(), firstSet(baseURL.ValueString(), os.Getenv("GITHUB_BASE_URL")))
}

// checkAPIVersionForServer adds an api_version error when the server baseURL names does not
// serve apiVersion ("" is the default, which every server serves).
func checkAPIVersionForServer(diags *diag.Diagnostics, apiVersion, baseURL string) {
	if apiVersion == "" {
		return
	}
	apiRoot, err := githubclient.ResolveBaseURL(baseURL)
	if err != nil || !githubclient.IsEnterpriseServer(apiRoot) || slices.Contains(githubclient.EnterpriseAPIVersions, apiVersion) {
		return // a bad base_url is Configure's to report
	}
	diags.AddAttributeError(path.Root("api_version"), "API version not served by GitHub Enterprise Server",
		fmt.Sprintf("base_url %s is GitHub Enterprise Server, which serves REST API version %s only: no release up to 3.19 has %s, "+
			"and the server would refuse every request. Remove api_version, or set it to %q.",
			apiRoot, strings.Join(githubclient.EnterpriseAPIVersions, ", "), apiVersion, githubclient.DefaultAPIVersion))
}
