package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// The three data sources read what the resources made: the organization's list (GitHub's own
// configurations included), one configuration by ID and by name, and a repository's attached
// configuration with its status (null for a repository with none).
func TestSecurityConfigurationDataSourcesReadWhatGitHubHolds(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	tt.needsEmulator(t)
	config := attachmentConfig(tt, `  code_scanning_default_setup = "enabled"
  enforcement                 = "enforced"
  default_for_new_repos       = "private_and_internal"`, `  repositories     = ["service"]`) + fmt.Sprintf(`
data "codescanning_security_configurations" "all" {
  organization = %[1]q
  depends_on   = [codescanning_security_configuration_attachment.test]
}

data "codescanning_security_configurations" "global" {
  organization = %[1]q
  target_type  = "global"
}

data "codescanning_security_configuration" "by_id" {
  organization     = %[1]q
  configuration_id = codescanning_security_configuration.test.configuration_id
}

data "codescanning_security_configuration" "recommended" {
  organization = %[1]q
  name         = "GitHub recommended"
}

data "codescanning_repository_security_configuration" "service" {
  repository = "service"
  depends_on = [codescanning_security_configuration_attachment.test]
}

data "codescanning_repository_security_configuration" "none" {
  repository = "%[1]s/archived"
  depends_on = [codescanning_security_configuration_attachment.test]
}
`, testOwner)
	named := func(name string) knownvalue.Check {
		return knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact(name)})
	}
	tt.run(t, resource.TestCase{Steps: []resource.TestStep{
		{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.codescanning_security_configurations.global", tfjsonpath.New("configurations"),
					knownvalue.ListExact([]knownvalue.Check{named("GitHub recommended")})),
				statecheck.ExpectKnownValue("data.codescanning_security_configuration.by_id", tfjsonpath.New("name"), knownvalue.StringExact("rollout")),
				statecheck.ExpectKnownValue("data.codescanning_security_configuration.by_id", tfjsonpath.New("target_type"), knownvalue.StringExact("organization")),
				statecheck.ExpectKnownValue("data.codescanning_security_configuration.by_id", tfjsonpath.New("default_for_new_repos"), knownvalue.StringExact("private_and_internal")),
				statecheck.ExpectKnownValue("data.codescanning_security_configuration.by_id", tfjsonpath.New("code_scanning_default_setup"), knownvalue.StringExact("enabled")),
				statecheck.ExpectKnownValue("data.codescanning_security_configuration.recommended", tfjsonpath.New("target_type"), knownvalue.StringExact("global")),
				statecheck.ExpectKnownValue("data.codescanning_security_configuration.recommended", tfjsonpath.New("configuration_id"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue("data.codescanning_repository_security_configuration.service", tfjsonpath.New("status"), knownvalue.StringExact("enforced")),
				statecheck.ExpectKnownValue("data.codescanning_repository_security_configuration.service", tfjsonpath.New("configuration").AtMapKey("name"), knownvalue.StringExact("rollout")),
				statecheck.ExpectKnownValue("data.codescanning_repository_security_configuration.none", tfjsonpath.New("status"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.codescanning_repository_security_configuration.none", tfjsonpath.New("configuration"), knownvalue.Null()),
				listedConfigurations{"data.codescanning_security_configurations.all", []string{"rollout", "GitHub recommended"}},
			},
		},
		{
			Config: tt.providerBlock() + fmt.Sprintf(`
data "codescanning_security_configuration" "missing" {
  organization = %q
  name         = "no such"
}
`, testOwner),
			ExpectError: regexp.MustCompile(`No code security configuration "no such" in octo-org`),
		},
	}})
}

// listedConfigurations checks that a codescanning_security_configurations data source lists
// configurations of the names given, in whatever order GitHub gives them.
type listedConfigurations struct {
	address string
	names   []string
}

func (c listedConfigurations) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	var listed []string
	if req.State != nil && req.State.Values != nil {
		for _, r := range req.State.Values.RootModule.Resources {
			if r.Address != c.address {
				continue
			}
			items, _ := r.AttributeValues["configurations"].([]any)
			for _, item := range items {
				if m, ok := item.(map[string]any); ok {
					name, _ := m["name"].(string)
					listed = append(listed, name)
				}
			}
		}
	}
	for _, want := range c.names {
		if !slices.Contains(listed, want) {
			resp.Error = fmt.Errorf("%s lists %q, not %q", c.address, listed, want)
			return
		}
	}
}

// GitHub's own configuration reads alike on both GitHubs: listed with target_type = "global",
// and found by name.
func TestSecurityConfigurationDataSourcesFindGitHubRecommended(t *testing.T) {
	t.Parallel()
	forEachOrgTarget(t, func(t *testing.T, tt testTarget) {
		tt.run(t, resource.TestCase{Steps: []resource.TestStep{{
			Config: tt.providerBlock() + fmt.Sprintf(`
data "codescanning_security_configurations" "global" {
  organization = %[1]q
  target_type  = "global"
}

data "codescanning_security_configuration" "recommended" {
  organization = %[1]q
  name         = "GitHub recommended"
}
`, tt.organization()),
			ConfigStateChecks: []statecheck.StateCheck{
				listedConfigurations{"data.codescanning_security_configurations.global", []string{"GitHub recommended"}},
				statecheck.ExpectKnownValue("data.codescanning_security_configuration.recommended", tfjsonpath.New("target_type"), knownvalue.StringExact("global")),
				statecheck.ExpectKnownValue("data.codescanning_security_configuration.recommended", tfjsonpath.New("configuration_id"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue("data.codescanning_security_configuration.recommended", tfjsonpath.New("default_for_new_repos"), knownvalue.NotNull()),
			},
		}}})
	})
}
