package validators

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// TestValidatorsSayWhatToWrite checks each validator's verdict, and that a refusal is on the
// attribute and says what to write instead.
func TestValidatorsSayWhatToWrite(t *testing.T) {
	t.Parallel()
	languages := Language([]string{"go", "java-kotlin", "javascript-typescript"})
	for _, tt := range []struct {
		name   string
		v      validator.String
		value  types.String
		detail string // "" when the value is accepted
	}{
		{"reason as GitHub writes it", DismissalReason(), types.StringValue("won't fix"), ""},
		{"reason as the API's enum", DismissalReason(), types.StringValue("false_positive"), `use "false positive" instead of "false_positive"`},
		{"reason without apostrophe", DismissalReason(), types.StringValue("wont_fix"), `use "won't fix"`},
		{"unknown reason", DismissalReason(), types.StringValue("meh"), `reason must be one of`},
		{"null reason", DismissalReason(), types.StringNull(), ""},
		{"duration", Duration(), types.StringValue("1500ms"), ""},
		{"zero duration", Duration(), types.StringValue("0s"), ""},
		{"negative duration", Duration(), types.StringValue("-1s"), `such as "1s"`},
		{"duration without unit", Duration(), types.StringValue("5"), `with its unit`},
		{"unknown duration", Duration(), types.StringUnknown(), ""},
		{"language", languages, types.StringValue("go"), ""},
		{"old language name", languages, types.StringValue("javascript"), `use "javascript-typescript" instead of "javascript"`},
		{"partial language name", languages, types.StringValue("Kotlin"), `use "java-kotlin"`},
		{"unknown language", languages, types.StringValue("cobol"), `languages must each be one of ["go" "java-kotlin" "javascript-typescript"]`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			at := path.Root("attr")
			resp := &validator.StringResponse{}
			tt.v.ValidateString(context.Background(), validator.StringRequest{Path: at, ConfigValue: tt.value}, resp)
			if tt.detail == "" {
				if resp.Diagnostics.HasError() {
					t.Fatalf("refused %s: %v", tt.value, resp.Diagnostics)
				}
				return
			}
			if resp.Diagnostics.ErrorsCount() != 1 {
				t.Fatalf("want one error for %s, got %v", tt.value, resp.Diagnostics)
			}
			d := resp.Diagnostics.Errors()[0]
			if !strings.Contains(d.Detail(), tt.detail) {
				t.Errorf("detail %q does not say %q", d.Detail(), tt.detail)
			}
			if withPath, ok := d.(interface{ Path() path.Path }); !ok || !withPath.Path().Equal(at) {
				t.Errorf("error is not on the attribute: %v", d)
			}
		})
	}
}
