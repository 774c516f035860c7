package githubclient

import (
	"context"
	"fmt"
)

// What GitHub Enterprise Server's descriptions of a configuration lack (GHES 3.17 and 3.19,
// @octokit/openapi 23.0.2): no release has automatic dependency submission, Copilot secret
// scanning (generic secrets), secret scanning extended metadata or a bypass reviewer's mode;
// 3.17 has no code_security, secret_protection or code_scanning_options either (3.19 does, but
// only in a create: its update body lacks code_scanning_options). Their write bodies have
// additionalProperties false, so the server would answer 422 "is not a permitted key": the
// client refuses such a setting unsent, naming the release and the setting in its own words.

// configurationFieldsSince is the first GHES release with a configuration setting, by its API
// name; a setting absent here is in every release the client knows.
var configurationFieldsSince = map[string]enterpriseRelease{
	"code_security":                                             {3, 19},
	"secret_protection":                                         {3, 19},
	"code_scanning_options":                                     {3, 19},
	"dependency_graph_autosubmit_action":                        {},
	"dependency_graph_autosubmit_action_options":                {},
	"secret_scanning_generic_secrets":                           {},
	"secret_scanning_extended_metadata":                         {},
	"secret_scanning_delegated_bypass_options.reviewers[].mode": {},
}

// configurationUpdateFieldsSince is where an update body differs from a create's: GHES 3.19's
// update lacks code_scanning_options, which its create has. The zero release means none has it.
var configurationUpdateFieldsSince = map[string]enterpriseRelease{
	"code_scanning_options": {},
}

// enterpriseSensitiveFields are the settings of s that some GHES release lacks, by API name.
func enterpriseSensitiveFields(s SecurityConfigurationSettings) []string {
	var named []string
	add := func(set bool, name string) {
		if set {
			named = append(named, name)
		}
	}
	add(s.CodeSecurity != "", "code_security")
	add(s.SecretProtection != "", "secret_protection")
	add(s.CodeScanningOptions != nil, "code_scanning_options")
	add(s.DependencyGraphAutosubmitAction != "", "dependency_graph_autosubmit_action")
	add(s.DependencyGraphAutosubmitActionOptions != nil, "dependency_graph_autosubmit_action_options")
	add(s.SecretScanningGenericSecrets != "", "secret_scanning_generic_secrets")
	add(s.SecretScanningExtendedMetadata != "", "secret_scanning_extended_metadata")
	if s.SecretScanningDelegatedBypassOptions != nil {
		for _, r := range s.SecretScanningDelegatedBypassOptions.Reviewers {
			if r.Mode != "" {
				named = append(named, "secret_scanning_delegated_bypass_options.reviewers[].mode")
				break
			}
		}
	}
	return named
}

// ConfigurationSettingUnavailableError is a configuration setting the GHES release lacks.
type ConfigurationSettingUnavailableError struct {
	Op            string
	Setting       string // the API's name
	ServerVersion string
	Since         string // "" when no release up to 3.19 has it
	CreateOnly    bool   // the release takes it when creating a configuration, not in an update
}

func (e *ConfigurationSettingUnavailableError) Error() string {
	if e.CreateOnly {
		return fmt.Sprintf("%s: GitHub Enterprise Server %s takes %s when creating a code security configuration, not in an update (not sent)", e.Op, e.ServerVersion, e.Setting)
	}
	if e.Since == "" {
		return fmt.Sprintf("%s: GitHub Enterprise Server %s has no %s in code security configurations: no release up to 3.19 has it, github.com does (not sent)", e.Op, e.ServerVersion, e.Setting)
	}
	return fmt.Sprintf("%s: GitHub Enterprise Server %s has no %s in code security configurations: GitHub Enterprise Server has it from %s (not sent)", e.Op, e.ServerVersion, e.Setting, e.Since)
}

// checkConfigurationSettings refuses a setting the server's release lacks. Only when s names one
// and the client has not yet had an answer does it ask first (one GET, the organization's
// defaults), since a release that ignored the setting would accept it silently.
func (c *Client) checkConfigurationSettings(ctx context.Context, op, org string, s SecurityConfigurationSettings, update bool) error {
	sensitive := enterpriseSensitiveFields(s)
	if len(sensitive) == 0 {
		return nil
	}
	if _, seen := c.release.get(); !seen {
		if _, err := c.ListDefaultSecurityConfigurations(ctx, org); err != nil {
			return err
		}
	}
	if update {
		return KnownConfigurationUpdateSettingUnavailable(c.ServerVersion(), op, sensitive)
	}
	return KnownConfigurationSettingUnavailable(c.ServerVersion(), op, sensitive)
}

// KnownConfigurationSettingUnavailable is the error for the first of settings (API names) that
// the GHES release version lacks; nil for github.com ("") or when the release has them all.
func KnownConfigurationSettingUnavailable(version, op string, settings []string) error {
	return knownSettingUnavailable(version, op, settings, nil)
}

// KnownConfigurationUpdateSettingUnavailable is KnownConfigurationSettingUnavailable for an
// update's body, which on GHES 3.19 lacks a setting its create has.
func KnownConfigurationUpdateSettingUnavailable(version, op string, settings []string) error {
	return knownSettingUnavailable(version, op, settings, configurationUpdateFieldsSince)
}

func knownSettingUnavailable(version, op string, settings []string, override map[string]enterpriseRelease) error {
	if version == "" {
		return nil
	}
	for _, name := range settings {
		since, limited := configurationFieldsSince[name]
		createSince := since
		if o, overridden := override[name]; overridden {
			since, limited = o, true
		}
		if !limited {
			continue
		}
		if since == (enterpriseRelease{}) {
			createOnly := createSince != (enterpriseRelease{}) && !releaseBefore(version, createSince)
			return &ConfigurationSettingUnavailableError{Op: op, Setting: name, ServerVersion: version, CreateOnly: createOnly}
		}
		if releaseBefore(version, since) {
			return &ConfigurationSettingUnavailableError{Op: op, Setting: name, ServerVersion: version, Since: since.String()}
		}
	}
	return nil
}

// EnterpriseSensitiveSettings are the settings of s (API names) some GHES release lacks, for a
// plan to check against a release the client already knows.
func EnterpriseSensitiveSettings(s SecurityConfigurationSettings) []string {
	return enterpriseSensitiveFields(s)
}
