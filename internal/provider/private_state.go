package provider

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// privateState is the resource's private state in Create, Update and Read responses alike.
type privateState interface {
	privateStateReader
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// privateStateReader is the private state of a Delete request, which can only be read.
type privateStateReader interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// setPrivateJSON keeps value under key as JSON; what names the record in the error.
func setPrivateJSON(ctx context.Context, private privateState, key, what string, value any) diag.Diagnostics {
	raw, err := json.Marshal(value)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Cannot record "+what, err.Error())
		return diags
	}
	return private.SetKey(ctx, key, raw)
}
