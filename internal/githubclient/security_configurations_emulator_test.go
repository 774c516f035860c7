package githubclient

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/clock"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/emulatortest"
	"github.com/codescanning/terraform-provider-codescanning/internal/wait"
	"github.com/google/go-github/v62/github"
)

// attachmentPolls is a poll back-off on the scale of the emulator's attachment job (a
// minute), so a wait polls a few times on the fake clock rather than thousands.
var attachmentPolls = wait.Backoff{Initial: 10 * time.Second, Max: 30 * time.Second, Factor: 2}

// newConfigurationClient is an emulator with the usual repositories and a client sharing one
// fake clock with it, so an attachment's delay passes as the client waits for it.
func newConfigurationClient(t *testing.T, cfg emulator.Config) (*Client, *emulator.Emulator, *clock.Fake) {
	return newConfigurationClientPolling(t, cfg, fast)
}

// newConfigurationClientPolling is newConfigurationClient with the client's poll back-off.
func newConfigurationClientPolling(t *testing.T, cfg emulator.Config, poll wait.Backoff) (*Client, *emulator.Emulator, *clock.Fake) {
	t.Helper()
	fake := clock.NewFake()
	cfg.Clock = fake
	emu, baseURL := emulatortest.NewServer(t, cfg)
	emu.AddRepository(emulator.Repository{Owner: "octo-org", Name: "service", AdvancedSecurity: true, Languages: []string{"go", "python"}})
	emu.AddRepository(emulator.Repository{Owner: "octo-org", Name: "web", AdvancedSecurity: true, Languages: []string{"javascript-typescript"}, Visibility: emulator.VisibilityPublic})
	emu.AddRepository(emulator.Repository{Owner: "octo-org", Name: "locked", AdvancedSecurity: false, Languages: []string{"go"}})
	c, err := New(Config{BaseURL: baseURL, Token: "secret-token", UserAgent: "terraform-provider-codescanning/test",
		RunBackoff: poll, ConflictBackoff: fast, Clock: fake})
	if err != nil {
		t.Fatal(err)
	}
	return c, emu, fake
}

// Every configuration operation, run against the emulator: create with settings, read, find
// by name (GitHub's global ones too), list, update (200, and 204 read back), defaults, attach,
// the repository list and a repository's configuration, detach, delete.
func TestSecurityConfigurationOperationsAgainstTheEmulator(t *testing.T) {
	t.Parallel()
	c, _, _ := newConfigurationClient(t, emulator.Config{})
	ctx := context.Background()
	created, err := c.CreateSecurityConfiguration(ctx, "octo-org", SecurityConfigurationSettings{
		Name: "org policy", CodeSecurity: "enabled", CodeScanningDefaultSetup: "enabled",
		CodeScanningDefaultSetupOptions:      &DefaultSetupOptions{RunnerType: github.String("labeled"), RunnerLabel: github.String("big")},
		SecretScanningDelegatedBypassOptions: &DelegatedBypassOptionsSetting{Reviewers: []BypassReviewerSetting{{ReviewerID: 5, ReviewerType: "TEAM"}}},
		Enforcement:                          "unenforced",
	})
	if err != nil {
		t.Fatal(err)
	}
	if created.AdvancedSecurity != "code_security" || created.TargetType != TargetOrganization || created.Description == nil || *created.Description != "" ||
		created.CodeScanningDefaultSetupOptions == nil || *created.CodeScanningDefaultSetupOptions.RunnerLabel != "big" ||
		len(created.SecretScanningDelegatedBypassOptions.Reviewers) != 1 || created.SecretScanningDelegatedBypassOptions.Reviewers[0].SecurityConfigurationID != created.ID {
		t.Errorf("created %+v", created)
	}
	got, err := c.GetSecurityConfiguration(ctx, "octo-org", created.ID)
	if err != nil || got.Name != "org policy" || got.Enforcement != "unenforced" || got.CreatedAt == nil {
		t.Errorf("GetSecurityConfiguration = %+v, %v", got, err)
	}
	recommended, err := c.FindSecurityConfiguration(ctx, "octo-org", "GitHub recommended")
	if err != nil || recommended == nil || recommended.TargetType != TargetGlobal {
		t.Errorf("FindSecurityConfiguration(GitHub recommended) = %+v, %v", recommended, err)
	}
	if none, err := c.FindSecurityConfiguration(ctx, "octo-org", "nope"); none != nil || err != nil {
		t.Errorf("FindSecurityConfiguration(nope) = %+v, %v; want nil, nil", none, err)
	}
	global, err := c.ListSecurityConfigurations(ctx, "octo-org", TargetGlobal)
	if err != nil || len(global) != 1 {
		t.Errorf("ListSecurityConfigurations(global) = %d, %v", len(global), err)
	}

	updated, err := c.UpdateSecurityConfiguration(ctx, "octo-org", created.ID, SecurityConfigurationSettings{SecretScanning: "enabled"})
	if err != nil || updated.SecretScanning != "enabled" {
		t.Errorf("UpdateSecurityConfiguration = %+v, %v", updated, err)
	}
	same, err := c.UpdateSecurityConfiguration(ctx, "octo-org", created.ID, SecurityConfigurationSettings{SecretScanning: "enabled"})
	if err != nil || same == nil || same.ID != created.ID || same.SecretScanning != "enabled" {
		t.Errorf("UpdateSecurityConfiguration that changes nothing (204) = %+v, %v; want the configuration read back", same, err)
	}

	if err := c.SetDefaultSecurityConfiguration(ctx, "octo-org", created.ID, DefaultForPrivateAndInternal); err != nil {
		t.Fatal(err)
	}
	defaults, err := c.ListDefaultSecurityConfigurations(ctx, "octo-org")
	if err != nil || DefaultForNewRepos(defaults, created.ID) != DefaultForPrivateAndInternal || DefaultForNewRepos(defaults, 1) != DefaultForNone {
		t.Errorf("defaults %+v, %v", defaults, err)
	}

	serviceID, err := c.RepositoryID(ctx, service)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AttachSecurityConfiguration(ctx, "octo-org", created.ID, ScopeSelected, []int64{serviceID}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitForAttachment(ctx, "octo-org", created.ID, map[int64]string{serviceID: "octo-org/service"}); err != nil {
		t.Fatal(err)
	}
	listed, err := c.ListSecurityConfigurationRepositories(ctx, "octo-org", created.ID, AttachmentAttached, AttachmentEnforced)
	if err != nil || len(listed) != 1 || listed[0].Repository.ID != serviceID || listed[0].Status != AttachmentAttached || listed[0].Repository.FullName != "octo-org/service" {
		t.Errorf("ListSecurityConfigurationRepositories = %+v, %v", listed, err)
	}
	rc, err := c.GetRepositorySecurityConfiguration(ctx, service)
	if err != nil || rc == nil || rc.Status != AttachmentAttached || rc.Configuration.ID != created.ID {
		t.Errorf("GetRepositorySecurityConfiguration = %+v, %v", rc, err)
	}
	ds, err := c.GetDefaultSetup(ctx, service)
	if err != nil || ds.State != StateConfigured || ds.RunnerLabel == nil || *ds.RunnerLabel != "big" {
		t.Errorf("default setup under the configuration = %+v, %v; want configured on the configuration's runners", ds, err)
	}

	if err := c.DetachSecurityConfigurations(ctx, "octo-org", []int64{serviceID}); err != nil {
		t.Fatal(err)
	}
	if rc, err := c.GetRepositorySecurityConfiguration(ctx, service); rc != nil || err != nil {
		t.Errorf("after detach: %+v, %v; want nil (204)", rc, err)
	}
	if err := c.DeleteSecurityConfiguration(ctx, "octo-org", created.ID); err != nil {
		t.Fatal(err)
	}
	var apiErr *APIError
	if _, err := c.GetSecurityConfiguration(ctx, "octo-org", created.ID); !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
		t.Errorf("after delete: %v; want 404", err)
	}
}

// DetachSecurityConfigurations sends at most 250 ids a request, as GitHub takes no more.
func TestDetachSecurityConfigurationsSendsAtMost250IDsARequest(t *testing.T) {
	t.Parallel()
	c, emu, _ := newConfigurationClient(t, emulator.Config{})
	ids := make([]int64, 600)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	if err := c.DetachSecurityConfigurations(context.Background(), "octo-org", ids); err != nil {
		t.Fatal(err)
	}
	detaches := 0
	for _, r := range emu.Requests() {
		if r.Method == "DELETE" {
			detaches++
		}
	}
	if detaches != 3 {
		t.Errorf("%d detach requests for 600 ids; want 3", detaches)
	}
}

// WaitForAttachment sees the repositories attaching, waits (on the fake clock) while the
// emulator's job runs, and returns once they are attached or enforced.
func TestWaitForAttachmentSeesAttachingThenAttached(t *testing.T) {
	t.Parallel()
	c, emu, fake := newConfigurationClientPolling(t, emulator.Config{AttachmentDelay: time.Minute}, attachmentPolls)
	ctx := context.Background()
	cfg, err := c.CreateSecurityConfiguration(ctx, "octo-org", SecurityConfigurationSettings{Name: "p", CodeScanningDefaultSetup: "enabled"})
	if err != nil {
		t.Fatal(err)
	}
	targets := map[int64]string{emu.RepositoryID("octo-org", "service"): "octo-org/service", emu.RepositoryID("octo-org", "web"): "octo-org/web"}
	if err := c.AttachSecurityConfiguration(ctx, "octo-org", cfg.ID, ScopeSelected, slices.Collect(maps.Keys(targets))); err != nil {
		t.Fatal(err)
	}
	progress, err := c.WaitForAttachment(ctx, "octo-org", cfg.ID, targets)
	if err != nil || len(progress.Pending) != 0 {
		t.Fatalf("WaitForAttachment = %+v, %v", progress, err)
	}
	if len(fake.Sleeps()) == 0 || fake.Moved() < 50*time.Second {
		t.Errorf("the wait slept %v (moved %v); want it to have seen attaching and waited out the job's minute", fake.Sleeps(), fake.Moved())
	}
	for _, r := range progress.Repositories {
		if r.Status != AttachmentEnforced {
			t.Errorf("%s is %s; want enforced", r.Repository.FullName, r.Status)
		}
	}
	// A scope waits on whatever the job has yet to reach.
	if err := c.AttachSecurityConfiguration(ctx, "octo-org", cfg.ID, ScopePublic, nil); err != nil {
		t.Fatal(err)
	}
	if progress, err := c.WaitForAttachment(ctx, "octo-org", cfg.ID, nil); err != nil || len(progress.Pending) != 0 {
		t.Errorf("scope wait = %+v, %v", progress, err)
	}
}

// A repository without Advanced Security ends failed, and the wait names it; with the
// emulator's free-features knob it is attached instead and the wait succeeds.
func TestWaitForAttachmentNamesAFailedRepository(t *testing.T) {
	t.Parallel()
	for _, knob := range []string{emulator.UnlicensedAttachmentFails, emulator.UnlicensedAttachmentFreeFeatures} {
		t.Run("knob="+knob, func(t *testing.T) {
			t.Parallel()
			c, emu, _ := newConfigurationClientPolling(t, emulator.Config{AttachmentDelay: time.Minute, UnlicensedAttachment: knob}, attachmentPolls)
			ctx := context.Background()
			cfg, err := c.CreateSecurityConfiguration(ctx, "octo-org", SecurityConfigurationSettings{Name: "p", CodeScanningDefaultSetup: "enabled"})
			if err != nil {
				t.Fatal(err)
			}
			if err := c.AttachSecurityConfiguration(ctx, "octo-org", cfg.ID, ScopeAll, nil); err != nil {
				t.Fatal(err)
			}
			targets := map[int64]string{emu.RepositoryID("octo-org", "locked"): "octo-org/locked", emu.RepositoryID("octo-org", "service"): "octo-org/service"}
			_, err = c.WaitForAttachment(ctx, "octo-org", cfg.ID, targets)
			var failed *AttachmentFailedError
			if knob == emulator.UnlicensedAttachmentFreeFeatures {
				if err != nil {
					t.Errorf("free features: %v; want attached", err)
				}
				return
			}
			if !errors.As(err, &failed) || !slices.Equal(failed.Repositories, []string{"octo-org/locked"}) {
				t.Errorf("WaitForAttachment = %v; want *AttachmentFailedError naming octo-org/locked", err)
			}
		})
	}
}

// A setting GHES lacks is refused before it is sent, where the emulated release would answer
// 422; the settings it has go through.
func TestConfigurationSettingsFollowTheEmulatedGHESRelease(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		version string
		create  SecurityConfigurationSettings
		update  SecurityConfigurationSettings
	}{
		{"3.17.2", SecurityConfigurationSettings{CodeSecurity: "enabled"}, SecurityConfigurationSettings{SecretProtection: "enabled"}},
		{"3.19.1", SecurityConfigurationSettings{SecretScanningGenericSecrets: "enabled"},
			SecurityConfigurationSettings{CodeScanningOptions: &CodeScanningOptions{AllowAdvanced: github.Bool(true)}}},
	} {
		t.Run(tt.version, func(t *testing.T) {
			t.Parallel()
			c, emu, _ := newConfigurationClient(t, emulator.Config{EnterpriseVersion: tt.version, PathPrefix: "/api/v3"})
			ctx := context.Background()
			tt.create.Name = "x"
			var unavailable *ConfigurationSettingUnavailableError
			if _, err := c.CreateSecurityConfiguration(ctx, "octo-org", tt.create); !errors.As(err, &unavailable) {
				t.Errorf("create: %v; want ConfigurationSettingUnavailableError", err)
			}
			cfg, err := c.CreateSecurityConfiguration(ctx, "octo-org", SecurityConfigurationSettings{Name: "p", CodeScanningDefaultSetup: "enabled"})
			if err != nil {
				t.Fatal(err)
			}
			before := len(emu.Requests())
			if _, err := c.UpdateSecurityConfiguration(ctx, "octo-org", cfg.ID, tt.update); !errors.As(err, &unavailable) {
				t.Errorf("update: %v; want ConfigurationSettingUnavailableError", err)
			}
			if sent := len(emu.Requests()) - before; sent != 0 {
				t.Errorf("the refused update sent %d requests", sent)
			}
		})
	}
}
