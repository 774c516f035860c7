package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

// README.md tells a team how to use a build of this repository before a release is on a
// registry; these tests keep what it says true to go.mod, and its CLI configuration usable by
// both Terraform and OpenTofu.

func readREADME(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var hclFence = regexp.MustCompile("(?s)```hcl\n(.*?)```")

func TestReadmeNamesTheGoVersionOfGoMod(t *testing.T) {
	gomod, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(gomod)
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	if want := "Go " + string(m[1]) + " or newer"; !strings.Contains(readREADME(t), want) {
		t.Errorf("README.md does not say %q (go.mod's go line)", want)
	}
}

// The CLI configuration is HCL 1 (its dev_overrides keys are quoted), which hclsyntax refuses, so
// its lines are matched instead.
func TestReadmeShowsADevOverridesConfigForTerraformAndOpenTofu(t *testing.T) {
	readme := readREADME(t)
	for _, want := range []string{"make install", "TF_CLI_CONFIG_FILE"} {
		if !strings.Contains(readme, want) {
			t.Errorf("README.md does not mention %s", want)
		}
	}
	found := false
	for _, block := range hclFence.FindAllStringSubmatch(readme, -1) {
		config := block[1]
		if !strings.HasPrefix(config, "provider_installation {") {
			continue
		}
		found = true
		for _, want := range []*regexp.Regexp{
			regexp.MustCompile(`(?m)^  dev_overrides \{$`),
			regexp.MustCompile(`(?m)^    "registry\.terraform\.io/codescanning/codescanning" = "/\S+"$`),
			regexp.MustCompile(`(?m)^    "registry\.opentofu\.org/codescanning/codescanning" = "/\S+"$`),
			regexp.MustCompile(`(?m)^  direct \{\}$`), // every other provider installs as usual
			regexp.MustCompile(`(?s)\A\s*provider_installation \{.*\n\}\s*\z`),
		} {
			if !want.MatchString(config) {
				t.Errorf("README.md's CLI configuration does not match %s:\n%s", want, config)
			}
		}
	}
	if !found {
		t.Error("README.md shows no provider_installation block in full")
	}
}

func TestReadmeExamplesConstrainTheProviderVersion(t *testing.T) {
	n := 0
	for i, block := range hclFence.FindAllStringSubmatch(readREADME(t), -1) {
		if strings.HasPrefix(block[1], "provider_installation {") {
			continue // a CLI configuration, not a Terraform one
		}
		source, constraint := requiredCodescanning(t, fmt.Sprintf("README.md hcl block %d", i+1), []byte(block[1]))
		if source == "" {
			continue
		}
		n++
		if constraint == "" {
			t.Errorf("README.md hcl block %d requires %s with no version constraint", i+1, source)
		}
	}
	if n == 0 {
		t.Error("README.md shows no required_providers block")
	}
}
