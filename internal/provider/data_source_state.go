package provider

import (
	"context"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// setFromConfig writes a single-object data source's state: what the configuration says
// (repository, the object's key, timeouts) as it says it, then the values built from GitHub's
// answer (the builders in *_model.go), attribute by attribute, since reflection over a model
// costs most of a large read.
func setFromConfig(ctx context.Context, config tfsdk.Config, state *tfsdk.State, values map[string]attr.Value, diags *diag.Diagnostics) {
	state.Raw = config.Raw.Copy()
	for _, name := range slices.Sorted(maps.Keys(values)) { // diagnostics in one order
		diags.Append(state.SetAttribute(ctx, path.Root(name), values[name])...)
	}
}

// listOf is the list of items' values, built by value (an object builder of *_model.go, or
// types.StringValue), of elemType.
func listOf[T any, V attr.Value](elemType attr.Type, items []T, value func(T) V) types.List {
	elems := make([]attr.Value, len(items))
	for i, item := range items {
		elems[i] = value(item)
	}
	return types.ListValueMust(elemType, elems)
}
