package githubclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/google/go-github/v62/github"
)

// Code security configurations (/orgs/{org}/code-security/configurations...): go-github v62
// has none of these operations, so they are sent through its client with the client's own types,
// whose fields are those of GitHub's descriptions (github.com, GHES 3.17 and 3.19). A field a
// server's description lacks decodes as its zero value: "" for a setting, nil for options.

// Target types of a configuration, as GitHub names them.
const (
	TargetGlobal       = "global"
	TargetOrganization = "organization"
	TargetEnterprise   = "enterprise"
)

// SecurityConfiguration is a code security configuration as GitHub reports it. GitHub's
// answers carry no code_security or secret_protection (they are only written); advanced_security
// shows their combination.
type SecurityConfiguration struct {
	ID                                     int64                    `json:"id"`
	Name                                   string                   `json:"name"`
	TargetType                             string                   `json:"target_type"`
	Description                            *string                  `json:"description"`
	AdvancedSecurity                       string                   `json:"advanced_security"`
	DependencyGraph                        string                   `json:"dependency_graph"`
	DependencyGraphAutosubmitAction        string                   `json:"dependency_graph_autosubmit_action"`
	DependencyGraphAutosubmitActionOptions *AutosubmitActionOptions `json:"dependency_graph_autosubmit_action_options"`
	DependabotAlerts                       string                   `json:"dependabot_alerts"`
	DependabotSecurityUpdates              string                   `json:"dependabot_security_updates"`
	DependabotDelegatedAlertDismissal      *string                  `json:"dependabot_delegated_alert_dismissal"`
	CodeScanningOptions                    *CodeScanningOptions     `json:"code_scanning_options"`
	CodeScanningDefaultSetup               string                   `json:"code_scanning_default_setup"`
	CodeScanningDefaultSetupOptions        *DefaultSetupOptions     `json:"code_scanning_default_setup_options"`
	CodeScanningDelegatedAlertDismissal    string                   `json:"code_scanning_delegated_alert_dismissal"`
	SecretScanning                         string                   `json:"secret_scanning"`
	SecretScanningPushProtection           string                   `json:"secret_scanning_push_protection"`
	SecretScanningDelegatedBypass          string                   `json:"secret_scanning_delegated_bypass"`
	SecretScanningDelegatedBypassOptions   *DelegatedBypassOptions  `json:"secret_scanning_delegated_bypass_options"`
	SecretScanningValidityChecks           string                   `json:"secret_scanning_validity_checks"`
	SecretScanningNonProviderPatterns      string                   `json:"secret_scanning_non_provider_patterns"`
	SecretScanningGenericSecrets           string                   `json:"secret_scanning_generic_secrets"`
	SecretScanningDelegatedAlertDismissal  string                   `json:"secret_scanning_delegated_alert_dismissal"`
	SecretScanningExtendedMetadata         string                   `json:"secret_scanning_extended_metadata"`
	PrivateVulnerabilityReporting          string                   `json:"private_vulnerability_reporting"`
	Enforcement                            string                   `json:"enforcement"`
	URL                                    string                   `json:"url"`
	HTMLURL                                string                   `json:"html_url"`
	CreatedAt                              *time.Time               `json:"created_at"`
	UpdatedAt                              *time.Time               `json:"updated_at"`
}

// AutosubmitActionOptions are the options of automatic dependency submission.
type AutosubmitActionOptions struct {
	LabeledRunners *bool `json:"labeled_runners,omitempty"`
}

// CodeScanningOptions are a configuration's code scanning options.
type CodeScanningOptions struct {
	AllowAdvanced *bool `json:"allow_advanced"`
}

// DefaultSetupOptions are the runner options of a configuration's default setup. RunnerLabel is
// always sent, null when unset: GitHub does not document whether moving to standard runners
// keeps a label (as for a repository's default setup, ClearRunnerLabel).
type DefaultSetupOptions struct {
	RunnerType  *string `json:"runner_type,omitempty"`
	RunnerLabel *string `json:"runner_label"`
}

// DelegatedBypassOptions are who may approve a push protection bypass.
type DelegatedBypassOptions struct {
	Reviewers []BypassReviewer `json:"reviewers"`
}

// BypassReviewer is a team or role that reviews bypass requests. SecurityConfigurationID is only
// read (GitHub reports it, a write never sends it); Mode is github.com's only (ALWAYS, EXEMPT).
type BypassReviewer struct {
	ReviewerID              int64  `json:"reviewer_id"`
	ReviewerType            string `json:"reviewer_type"`
	Mode                    string `json:"mode,omitempty"`
	SecurityConfigurationID int64  `json:"security_configuration_id,omitempty"`
}

// SecurityConfigurationSettings is the body of a create or update: only what is set is sent, so
// GitHub keeps (or chooses) every other setting.
type SecurityConfigurationSettings struct {
	Name                                   string                         `json:"name,omitempty"`
	Description                            *string                        `json:"description,omitempty"`
	AdvancedSecurity                       string                         `json:"advanced_security,omitempty"`
	CodeSecurity                           string                         `json:"code_security,omitempty"`
	DependencyGraph                        string                         `json:"dependency_graph,omitempty"`
	DependencyGraphAutosubmitAction        string                         `json:"dependency_graph_autosubmit_action,omitempty"`
	DependencyGraphAutosubmitActionOptions *AutosubmitActionOptions       `json:"dependency_graph_autosubmit_action_options,omitempty"`
	DependabotAlerts                       string                         `json:"dependabot_alerts,omitempty"`
	DependabotSecurityUpdates              string                         `json:"dependabot_security_updates,omitempty"`
	DependabotDelegatedAlertDismissal      string                         `json:"dependabot_delegated_alert_dismissal,omitempty"`
	CodeScanningOptions                    *CodeScanningOptions           `json:"code_scanning_options,omitempty"`
	CodeScanningDefaultSetup               string                         `json:"code_scanning_default_setup,omitempty"`
	CodeScanningDefaultSetupOptions        *DefaultSetupOptions           `json:"code_scanning_default_setup_options,omitempty"`
	CodeScanningDelegatedAlertDismissal    string                         `json:"code_scanning_delegated_alert_dismissal,omitempty"`
	SecretProtection                       string                         `json:"secret_protection,omitempty"`
	SecretScanning                         string                         `json:"secret_scanning,omitempty"`
	SecretScanningPushProtection           string                         `json:"secret_scanning_push_protection,omitempty"`
	SecretScanningDelegatedBypass          string                         `json:"secret_scanning_delegated_bypass,omitempty"`
	SecretScanningDelegatedBypassOptions   *DelegatedBypassOptionsSetting `json:"secret_scanning_delegated_bypass_options,omitempty"`
	SecretScanningValidityChecks           string                         `json:"secret_scanning_validity_checks,omitempty"`
	SecretScanningNonProviderPatterns      string                         `json:"secret_scanning_non_provider_patterns,omitempty"`
	SecretScanningGenericSecrets           string                         `json:"secret_scanning_generic_secrets,omitempty"`
	SecretScanningDelegatedAlertDismissal  string                         `json:"secret_scanning_delegated_alert_dismissal,omitempty"`
	SecretScanningExtendedMetadata         string                         `json:"secret_scanning_extended_metadata,omitempty"`
	PrivateVulnerabilityReporting          string                         `json:"private_vulnerability_reporting,omitempty"`
	Enforcement                            string                         `json:"enforcement,omitempty"`
}

// DelegatedBypassOptionsSetting is the reviewers a write sends; an empty list is sent, since it
// removes every reviewer.
type DelegatedBypassOptionsSetting struct {
	Reviewers []BypassReviewerSetting `json:"reviewers"`
}

// BypassReviewerSetting is a reviewer as a write sends it. Mode empty is left to GitHub
// (ALWAYS); GHES has no mode.
type BypassReviewerSetting struct {
	ReviewerID   int64  `json:"reviewer_id"`
	ReviewerType string `json:"reviewer_type"`
	Mode         string `json:"mode,omitempty"`
}

func orgConfigurationsPath(org, suffix string) string {
	return "orgs/" + org + "/code-security/configurations" + suffix
}

func configurationPath(org string, id int64, suffix string) string {
	return orgConfigurationsPath(org, fmt.Sprintf("/%d%s", id, suffix))
}

// Operation names, which Advice recognises as a configuration's.
const opConfiguration = "code security configuration"

// ListSecurityConfigurations reads every configuration an organization can use, page by page:
// targetType "global" gives GitHub's own (such as "GitHub recommended"), "all" (or "") those and
// the organization's and enterprise's.
func (c *Client) ListSecurityConfigurations(ctx context.Context, org, targetType string) ([]SecurityConfiguration, error) {
	query := url.Values{}
	if targetType != "" {
		query.Set("target_type", targetType)
	}
	return listPages[SecurityConfiguration](ctx, c, "list "+opConfiguration+"s of organization "+org, Repository{}, orgConfigurationsPath(org, ""), query, 0)
}

// GetSecurityConfiguration reads one configuration.
func (c *Client) GetSecurityConfiguration(ctx context.Context, org string, id int64) (*SecurityConfiguration, error) {
	return get[SecurityConfiguration](ctx, c, fmt.Sprintf("read %s %d of organization %s", opConfiguration, id, org), Repository{}, configurationPath(org, id, ""))
}

// FindSecurityConfiguration is the configuration of that name the organization can use (its
// own, its enterprise's or GitHub's), or nil when there is none. GitHub has no lookup by name.
func (c *Client) FindSecurityConfiguration(ctx context.Context, org, name string) (*SecurityConfiguration, error) {
	all, err := c.ListSecurityConfigurations(ctx, org, "all")
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].Name == name {
			return &all[i], nil
		}
	}
	return nil, nil
}

// CreateSecurityConfiguration creates a configuration in an organization. A nil description is
// sent as "": GHES requires one.
func (c *Client) CreateSecurityConfiguration(ctx context.Context, org string, settings SecurityConfigurationSettings) (*SecurityConfiguration, error) {
	op := fmt.Sprintf("create %s %q in organization %s", opConfiguration, settings.Name, org)
	if err := c.checkConfigurationSettings(ctx, op, org, settings, false); err != nil {
		return nil, err
	}
	if settings.Description == nil {
		settings.Description = github.String("")
	}
	var cfg SecurityConfiguration
	if err := c.send(ctx, op, Repository{}, http.MethodPost, orgConfigurationsPath(org, ""), settings, &cfg); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// UpdateSecurityConfiguration changes what settings names and returns the configuration as
// GitHub then holds it: its 200 answer, or, for its 204 ("no new updates"), a fresh read.
func (c *Client) UpdateSecurityConfiguration(ctx context.Context, org string, id int64, settings SecurityConfigurationSettings) (*SecurityConfiguration, error) {
	op := fmt.Sprintf("update %s %d of organization %s", opConfiguration, id, org)
	if err := c.checkConfigurationSettings(ctx, op, org, settings, true); err != nil {
		return nil, err
	}
	req, err := c.newRequest(http.MethodPatch, configurationPath(org, id, ""), settings)
	if err != nil {
		return nil, err
	}
	var cfg SecurityConfiguration
	resp, err := c.gh.Do(ctx, req, &cfg)
	if err != nil {
		return nil, asAPIError(op, Repository{}, req, resp, err)
	}
	if resp.StatusCode == http.StatusNoContent {
		return c.GetSecurityConfiguration(ctx, org, id)
	}
	return &cfg, nil
}

// DeleteSecurityConfiguration deletes a configuration. GitHub detaches its repositories, which
// keep their settings.
func (c *Client) DeleteSecurityConfiguration(ctx context.Context, org string, id int64) error {
	return c.send(ctx, fmt.Sprintf("delete %s %d of organization %s", opConfiguration, id, org), Repository{}, http.MethodDelete, configurationPath(org, id, ""), nil, nil)
}

// Attachment scopes, as GitHub names them.
const (
	ScopeAll                      = "all"
	ScopeAllWithoutConfigurations = "all_without_configurations"
	ScopePublic                   = "public"
	ScopePrivateOrInternal        = "private_or_internal"
	ScopeSelected                 = "selected"
)

// AttachSecurityConfiguration asks GitHub to attach a configuration to the repositories of
// scope, or, for ScopeSelected, to repositoryIDs. GitHub answers 202 and attaches them in the
// background: WaitForAttachment follows that.
func (c *Client) AttachSecurityConfiguration(ctx context.Context, org string, id int64, scope string, repositoryIDs []int64) error {
	body := struct {
		Scope                 string  `json:"scope"`
		SelectedRepositoryIDs []int64 `json:"selected_repository_ids,omitempty"`
	}{scope, repositoryIDs}
	req, err := c.newRequest(http.MethodPost, configurationPath(org, id, "/attach"), body)
	if err != nil {
		return err
	}
	resp, err := c.gh.Do(ctx, req, nil)
	if errors.As(err, new(*github.AcceptedError)) {
		return nil
	}
	if err != nil {
		return asAPIError(fmt.Sprintf("attach %s %d of organization %s", opConfiguration, id, org), Repository{}, req, resp, err)
	}
	return nil
}

// maxDetach is the most repository IDs one detach request takes.
const maxDetach = 250

// DetachSecurityConfigurations detaches whatever configuration each repository has, 250 at a
// time (GitHub's limit); the repositories keep their settings.
func (c *Client) DetachSecurityConfigurations(ctx context.Context, org string, repositoryIDs []int64) error {
	for start := 0; start < len(repositoryIDs); start += maxDetach {
		chunk := repositoryIDs[start:min(start+maxDetach, len(repositoryIDs))]
		body := struct {
			SelectedRepositoryIDs []int64 `json:"selected_repository_ids"`
		}{chunk}
		op := fmt.Sprintf("detach %ss from %d repositories of organization %s", opConfiguration, len(chunk), org)
		if err := c.send(ctx, op, Repository{}, http.MethodDelete, orgConfigurationsPath(org, "/detach"), body, nil); err != nil {
			return err
		}
	}
	return nil
}

// Values of default_for_new_repos.
const (
	DefaultForAll                = "all"
	DefaultForNone               = "none"
	DefaultForPrivateAndInternal = "private_and_internal"
	DefaultForPublic             = "public"
)

// DefaultSecurityConfiguration is a configuration GitHub applies to new repositories of a kind.
type DefaultSecurityConfiguration struct {
	DefaultForNewRepos string                `json:"default_for_new_repos"`
	Configuration      SecurityConfiguration `json:"configuration"`
}

// SetDefaultSecurityConfiguration makes a configuration the default for new repositories of
// that kind (DefaultForNone: for none).
func (c *Client) SetDefaultSecurityConfiguration(ctx context.Context, org string, id int64, defaultForNewRepos string) error {
	body := struct {
		DefaultForNewRepos string `json:"default_for_new_repos"`
	}{defaultForNewRepos}
	op := fmt.Sprintf("set %s %d of organization %s as default for %s new repositories", opConfiguration, id, org, defaultForNewRepos)
	return c.send(ctx, op, Repository{}, http.MethodPut, configurationPath(org, id, "/defaults"), body, nil)
}

// ListDefaultSecurityConfigurations reads the organization's defaults for new repositories.
func (c *Client) ListDefaultSecurityConfigurations(ctx context.Context, org string) ([]DefaultSecurityConfiguration, error) {
	defaults, err := get[[]DefaultSecurityConfiguration](ctx, c, "read default "+opConfiguration+"s of organization "+org, Repository{}, orgConfigurationsPath(org, "/defaults"))
	if err != nil {
		return nil, err
	}
	return *defaults, nil
}

// DefaultForNewRepos is what a configuration is the default for among defaults: DefaultForNone
// when it is not a default.
func DefaultForNewRepos(defaults []DefaultSecurityConfiguration, id int64) string {
	for _, d := range defaults {
		if d.Configuration.ID == id && d.DefaultForNewRepos != "" {
			return d.DefaultForNewRepos
		}
	}
	return DefaultForNone
}
