package transport

import (
	"testing"

	"github.com/codescanning/terraform-provider-codescanning/internal/terraformwords"
)

// The transport speaks GitHub only: no comment or string of its own names a Terraform command, block
// or provider setting. Advice in those words is the provider's (internal/provider/diagnostics.go),
// built from the typed errors and predicates this package exports.
func TestSpeaksNoTerraform(t *testing.T) {
	t.Parallel()
	found, err := terraformwords.Find(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		t.Errorf("%s speaks Terraform; say it in GitHub's words, or move it to the provider's diagnostics", f)
	}
}
