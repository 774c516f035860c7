package githubclient

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-github/v62/github"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// A token refused for a missing permission is told the permission, in the words of GitHub's
// settings pages, and the classic scope that would do instead.
func TestRefusalNamesThePermissionMissing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name       string
		perms      map[string]string
		call       func(c *Client) error
		permission []string
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
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v; want an APIError", err)
			}
			for _, want := range tc.permission {
				if !strings.Contains(apiErr.NeededPermission(), want) {
					t.Errorf("needed permission %q does not name %q", apiErr.NeededPermission(), want)
				}
			}
		})
	}
}

// GitHub answers an organization's alert list 404 to a user who is neither an owner nor a
// security manager; the error is told apart as that list's, so the provider's advice names the
// roles rather than blaming a repository.
func TestOrganizationAlertListRefusalIsToldApart(t *testing.T) {
	t.Parallel()
	c, _ := newTestClient(t, emulator.Config{OrganizationRoles: map[string]string{"someone-else": emulator.RoleOwner}})
	_, err := c.EachOrganizationAlert(context.Background(), "octo-org", AlertFilter{}, func(Alert) error { return nil })
	var apiErr *APIError
	if !IsNotFound(err) || !errors.As(err, &apiErr) || !apiErr.OrganizationAlertList() {
		t.Fatalf("err = %v; want the 404 told apart as the organization alert list's", err)
	}
	if _, err := c.ListRepositoryAlerts(context.Background(), Repository{"octo-org", "nope"}, AlertFilter{}); !errors.As(err, &apiErr) || apiErr.OrganizationAlertList() {
		t.Fatalf("a repository's alert list (%v) is told apart as an organization's", err)
	}
}
