package terraformwords

import (
	"slices"
	"strings"
	"testing"
)

// Terraform's words are found in comments and strings, and names that only look like them (the
// module path, a struct tag GitHub's API names, an attempt's timeouts) are not.
func TestFindTellsTerraformWordsFromGitHubs(t *testing.T) {
	t.Parallel()
	src := `package p

import _ "github.com/codescanning/terraform-provider-codescanning/internal/wait"

// UserAgent is e.g. "terraform-provider-codescanning/1.2.3"; attempt timeouts are the transport's
// (see cache_dir.go).
type settings struct {
	ThreatModel string ` + "`json:\"threat_model,omitempty\" tf:\"base_url\"`" + `
}

// Set base_url in the provider block.
var advice = "Raise the resource's timeouts, then apply again."

var hint = "lower max_concurrency (or -parallelism); see timeouts.read. Terraform's plan-time check"
`
	found, err := findInSource("p.go", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range found {
		got = append(got, f.Words)
	}
	want := []string{"base_url", "provider block", "'s timeouts", "apply again", "Terraform", "plan-time", "-parallelism", "timeouts.read", "max_concurrency"}
	slices.Sort(got)
	slices.Sort(want)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("found %q; want %q", got, want)
	}
}
