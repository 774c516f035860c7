package githubclient

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// A selected repository is pending until GitHub lists it attached or enforced, and one that
// ends failed is named; a scope (no targets) waits only on what is under way.
func TestAttachmentProgressNamesPendingAndFailedRepositories(t *testing.T) {
	t.Parallel()
	repo := func(id int64, name, status string) ConfigurationRepository {
		return ConfigurationRepository{Status: status, Repository: AttachedRepository{ID: id, FullName: name}}
	}
	listed := []ConfigurationRepository{repo(1, "o/a", AttachmentAttached), repo(2, "o/b", AttachmentAttaching),
		repo(3, "o/c", AttachmentFailed), repo(4, "o/d", AttachmentEnforced)}
	progress, failed := attachmentProgress(listed, map[int64]string{1: "o/a", 2: "o/b", 3: "o/c", 4: "o/d", 5: "o/e"})
	if !slices.Equal(progress.Pending, []string{"o/b", "o/e"}) || !slices.Equal(failed, []string{"o/c"}) {
		t.Errorf("selected: pending %v, failed %v; want [o/b o/e], [o/c]", progress.Pending, failed)
	}
	progress, failed = attachmentProgress(listed, nil)
	if !slices.Equal(progress.Pending, []string{"o/b"}) || !slices.Equal(failed, []string{"o/c"}) {
		t.Errorf("scope: pending %v, failed %v; want [o/b], [o/c]", progress.Pending, failed)
	}
}

// A setting a GHES release lacks is refused naming the release, and only there.
func TestConfigurationSettingsAGHESReleaseLacksAreRefused(t *testing.T) {
	t.Parallel()
	s := SecurityConfigurationSettings{CodeSecurity: "enabled"}
	var unavailable *ConfigurationSettingUnavailableError
	if err := KnownConfigurationSettingUnavailable("3.17.2", "create", EnterpriseSensitiveSettings(s)); !errors.As(err, &unavailable) || unavailable.Since != "3.19" {
		t.Errorf("3.17 code_security: %v; want refused, since 3.19", err)
	}
	for _, v := range []string{"", "3.19.1"} {
		if err := KnownConfigurationSettingUnavailable(v, "create", EnterpriseSensitiveSettings(s)); err != nil {
			t.Errorf("%q code_security: %v; want allowed", v, err)
		}
	}
	generic := SecurityConfigurationSettings{SecretScanningGenericSecrets: "enabled"}
	if err := KnownConfigurationSettingUnavailable("3.19.1", "create", EnterpriseSensitiveSettings(generic)); !errors.As(err, &unavailable) || unavailable.Since != "" {
		t.Errorf("3.19 generic secrets: %v; want refused, no release", err)
	}
	// 3.19 takes code_scanning_options in a create, not in an update; 3.17 in neither.
	options := EnterpriseSensitiveSettings(SecurityConfigurationSettings{CodeScanningOptions: &CodeScanningOptions{}})
	if err := KnownConfigurationUpdateSettingUnavailable("3.19.1", "update", options); !errors.As(err, &unavailable) || !unavailable.CreateOnly ||
		!strings.Contains(err.Error(), "takes code_scanning_options when creating a code security configuration, not in an update") {
		t.Errorf("3.19 update code_scanning_options: %v; want refused, create only", err)
	}
	if err := KnownConfigurationUpdateSettingUnavailable("3.17.2", "update", options); !errors.As(err, &unavailable) || unavailable.CreateOnly {
		t.Errorf("3.17 update code_scanning_options: %v; want refused, not create only", err)
	}
}
