package validators

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Language accepts the CodeQL languages given (those default setup takes) and tells a user who
// wrote a language by its old or single name (javascript, java, cpp) the name GitHub takes now:
// GitHub merged those languages, and GET may still report the old names, but PATCH refuses them.
func Language(languages []string) validator.String { return language{languages: languages} }

type language struct{ languages []string }

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

func (v language) Description(context.Context) string {
	return fmt.Sprintf("value must be one of %q", v.languages)
}

func (v language) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v language) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	got := req.ConfigValue.ValueString()
	if slices.Contains(v.languages, got) {
		return
	}
	detail := fmt.Sprintf("languages must each be one of %q, got %q.", v.languages, got)
	if name, ok := languageRenames[strings.ToLower(got)]; ok {
		detail = fmt.Sprintf("Default setup analyzes %q as one language, %q: use %q instead of %q.", got, name, name, got)
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid language", detail)
}
