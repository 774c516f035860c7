package validators

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Duration accepts a Go duration ("1s", "500ms", "0s") no less than zero, so that a typo fails
// at plan time with the accepted form.
func Duration() validator.String { return duration{} }

type duration struct{}

func (duration) Description(context.Context) string {
	return `value must be a duration such as "1s" or "500ms", not negative`
}

func (v duration) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (duration) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	if err != nil || d < 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			`Write a duration with its unit, such as "1s", "1500ms" or "0s" (no pause); got `+req.ConfigValue.String()+".")
	}
}
