package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
)

// setFromConfig writes a single-object data source's state: what the configuration says
// (repository, the object's key, timeouts) as it says it, then the values built from GitHub's
// answer (the builders in *_model.go), attribute by attribute, since reflection over a model
// costs most of a large read.
func setFromConfig(ctx context.Context, config tfsdk.Config, state *tfsdk.State, values map[string]attr.Value, diags *diag.Diagnostics) {
	state.Raw = config.Raw.Copy()
	for name, value := range values {
		diags.Append(state.SetAttribute(ctx, path.Root(name), value)...)
	}
}
