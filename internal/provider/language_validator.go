package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// languageValidator accepts the CodeQL languages default setup takes and tells a user who wrote a
// language by its old or single name (javascript, java, cpp) the name GitHub takes now: GitHub
// merged those languages, and GET may still report the old names, but PATCH refuses them.
type languageValidator struct{}

var _ validator.String = languageValidator{}

// languageRenames are old or partial names and the language GitHub takes for them.
var languageRenames = map[string]string{
	"javascript": "javascript-typescript",
	"typescript": "javascript-typescript",
	"java":       "java-kotlin",
	"kotlin":     "java-kotlin",
	"cpp":        "c-cpp",
	"c":          "c-cpp",
	"c++":        "c-cpp",
	"c#":         "csharp",
}

func (languageValidator) Description(context.Context) string {
	return fmt.Sprintf("value must be one of %q", defaultSetupLanguages)
}

func (v languageValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (languageValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	got := req.ConfigValue.ValueString()
	if slices.Contains(defaultSetupLanguages, got) {
		return
	}
	detail := fmt.Sprintf("languages must each be one of %q, got %q.", defaultSetupLanguages, got)
	if name, ok := languageRenames[strings.ToLower(got)]; ok {
		detail = fmt.Sprintf("Default setup analyzes %q as one language, %q: use %q instead of %q.", got, name, name, got)
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid language", detail)
}
