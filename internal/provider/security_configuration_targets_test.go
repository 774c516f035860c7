package provider

import (
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
)

// Code security configuration tests against real GitHub need an organization the token
// administers, which a repository's admin rights do not give: they run there only when
// CODESCANNING_TEST_ORGANIZATION_ADMIN says the token's user is an owner or security manager of
// the test repository's organization (CONTRIBUTING.md), and never touch its defaults or
// attachments, which would change other repositories.
func forEachOrgTarget(t *testing.T, body func(t *testing.T, tt testTarget)) {
	t.Helper()
	t.Run("emulator", func(t *testing.T) {
		t.Parallel()
		body(t, emulatorTarget(t, defaultEmulatorConfig()))
	})
	t.Run("github", func(t *testing.T) {
		tt, ok := realGitHubTarget()
		if !ok {
			t.Skip("set TF_ACC, GITHUB_TOKEN and CODESCANNING_TEST_REPOSITORY to run against real GitHub")
		}
		if os.Getenv("CODESCANNING_TEST_ORGANIZATION_ADMIN") == "" {
			t.Skip("set CODESCANNING_TEST_ORGANIZATION_ADMIN=1 when the token's user is an owner or security manager of " + tt.organization() +
				": the test creates and deletes a code security configuration there")
		}
		body(t, tt)
	})
}

// organization is the owner of the target's test repository.
func (tt testTarget) organization() string {
	owner, _, _ := strings.Cut(tt.repo, "/")
	return owner
}

// configurationName is base on the emulator, and a name of its own on real GitHub, where names
// are unique within the organization and another run may hold base.
func (tt testTarget) configurationName(base string) string {
	if tt.emulator != nil {
		return base
	}
	return "tf-acc " + base + " " + acctest.RandString(8)
}
