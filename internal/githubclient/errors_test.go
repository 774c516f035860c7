package githubclient

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-github/v62/github"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// A token refused for a missing permission is told the permission, in the words of GitHub's
// settings pages, and the classic scope that would do instead.
func TestRefusalAdviceNamesThePermissionMissing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		perms  map[string]string
		call   func(c *Client) error
		advice []string
	}{
		{"read default setup", map[string]string{"security_events": "write", "actions": "read"},
			func(c *Client) error { _, err := c.GetDefaultSetup(ctx, service); return err },
			[]string{"Administration: read", "repo (or public_repo"}},
		{"change default setup", map[string]string{"administration": "read"},
			func(c *Client) error {
				_, err := c.UpdateDefaultSetup(ctx, service, DefaultSetupUpdate{State: StateConfigured})
				return err
			}, []string{"Administration: write"}},
		{"read a run", map[string]string{"administration": "write"},
			func(c *Client) error { _, err := c.GetRun(ctx, service, Run{ID: 1}); return err },
			[]string{"Actions: read"}},
		{"list alerts", map[string]string{"administration": "write"},
			func(c *Client) error { _, err := c.ListRepositoryAlerts(ctx, service, AlertFilter{}); return err },
			[]string{"Code scanning alerts: read", "security_events"}},
		{"dismiss an alert", map[string]string{"security_events": "read"},
			func(c *Client) error {
				_, err := c.UpdateAlert(ctx, service, 1, AlertUpdate{State: "dismissed", DismissedReason: github.String("false positive")})
				return err
			}, []string{"Code scanning alerts: write"}},
		{"list CodeQL databases", map[string]string{"security_events": "write"},
			func(c *Client) error { _, err := c.ListCodeQLDatabases(ctx, service); return err },
			[]string{"Contents: read"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, emu, _ := newPermissionedClient(t, tc.perms, 0)
			emu.SeedAlerts("octo-org", "service", 1, 1)
			err := tc.call(c)
			if StatusCode(err) != 403 {
				t.Fatalf("err = %v; want GitHub's 403", err)
			}
			for _, want := range tc.advice {
				if !strings.Contains(adviceOf(err), want) {
					t.Errorf("advice %q does not name %q", adviceOf(err), want)
				}
			}
		})
	}
}

// GitHub answers an organization's alert list 404 to a user who is neither an owner nor a
// security manager; the advice says so rather than blaming a repository.
func TestOrganizationAlertListAdviceNamesTheRolesNeeded(t *testing.T) {
	t.Parallel()
	c, _ := newTestClient(t, emulator.Config{OrganizationRoles: map[string]string{"someone-else": emulator.RoleOwner}})
	_, err := c.ListOrganizationAlerts(context.Background(), "octo-org", AlertFilter{})
	if !IsNotFound(err) || !strings.Contains(adviceOf(err), "owner or security manager") {
		t.Fatalf("err = %v (advice %q); want the 404 and advice naming the roles", err, adviceOf(err))
	}
}

// A diagnostic reads summary, advice, then the original error with GitHub's words: advice that
// refers to those words points down to them, never "above".
func TestAdvicePointsDownToGitHubsMessage(t *testing.T) {
	t.Parallel()
	for name, e := range map[string]*APIError{
		"unexpected status": {Op: "read code scanning alert 1", StatusCode: http.StatusTeapot, Message: "I'm a teapot"},
		"alert conflict":    {Op: "update code scanning alert 1", StatusCode: http.StatusConflict, Message: "Cannot reopen"},
		"credential":        {Op: "read default setup", Err: &CredentialError{}},
	} {
		advice := e.Advice()
		if strings.Contains(advice, "above") || !strings.Contains(advice, "below") {
			t.Errorf("%s: advice %q should point down to the original error, below it", name, advice)
		}
	}
}
