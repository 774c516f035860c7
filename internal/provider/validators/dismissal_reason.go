package validators

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// DismissalReason accepts GitHub's dismissal reasons (githubclient.DismissalReasons), which have
// spaces, and tells a user who wrote the API-style false_positive how GitHub spells it.
func DismissalReason() validator.String { return dismissalReason{} }

type dismissalReason struct{}

func (dismissalReason) Description(context.Context) string {
	return fmt.Sprintf("value must be one of %q", githubclient.DismissalReasons)
}

func (v dismissalReason) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (dismissalReason) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	got := req.ConfigValue.ValueString()
	if slices.Contains(githubclient.DismissalReasons, got) {
		return
	}
	detail := fmt.Sprintf("reason must be one of %q, got %q.", githubclient.DismissalReasons, got)
	spaced := strings.ToLower(strings.NewReplacer("_", " ", "-", " ", "wont", "won't").Replace(got))
	if slices.Contains(githubclient.DismissalReasons, spaced) {
		detail = fmt.Sprintf("GitHub writes this reason with spaces: use %q instead of %q.", spaced, got)
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid dismissal reason", detail)
}
