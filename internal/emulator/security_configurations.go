package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Code security configurations (/orgs/{org}/code-security/configurations...): an
// organization's own, created through the API, and GitHub's global ones (GitHub recommended),
// which every organization lists and may attach but not change. An organization exists when
// some repository is owned by it, as for the organization alert list.

// Target types of a configuration.
const (
	targetGlobal       = "global"
	targetOrganization = "organization"
)

const (
	docsConfigurations         = "https://docs.github.com/rest/code-security/configurations"
	docsListConfigurations     = docsConfigurations + "#get-code-security-configurations-for-an-organization"
	docsCreateConfiguration    = docsConfigurations + "#create-a-code-security-configuration"
	docsGetConfiguration       = docsConfigurations + "#get-a-code-security-configuration"
	docsUpdateConfiguration    = docsConfigurations + "#update-a-code-security-configuration"
	docsDeleteConfiguration    = docsConfigurations + "#delete-a-code-security-configuration"
	docsAttachConfiguration    = docsConfigurations + "#attach-a-configuration-to-repositories"
	docsDetachConfiguration    = docsConfigurations + "#detach-configurations-from-repositories"
	docsSetDefaultConfig       = docsConfigurations + "#set-a-code-security-configuration-as-a-default-for-an-organization"
	docsGetDefaultConfigs      = docsConfigurations + "#get-default-code-security-configurations"
	docsConfigRepositories     = docsConfigurations + "#get-repositories-associated-with-a-code-security-configuration"
	docsRepositoryConfguration = docsConfigurations + "#get-the-code-security-configuration-associated-with-a-repository"
)

// securityConfiguration is one configuration as the emulator holds it.
type securityConfiguration struct {
	id          int64
	org         string // the organization's login as first given; "" for a global one
	targetType  string
	name        string
	description *string
	// settings are the configuration's settings as answers show them, by API name, except
	// advanced_security, which shows codeSecurity and secretProtection combined.
	settings                       map[string]any
	codeSecurity, secretProtection string
	createdAt, updatedAt           time.Time
}

// newConfiguration is a configuration with every setting at its create default.
func newConfiguration(id int64, org, targetType, name string, now time.Time) *securityConfiguration {
	c := &securityConfiguration{id: id, org: org, targetType: targetType, name: name, settings: map[string]any{},
		codeSecurity: featureDisabled, secretProtection: featureDisabled,
		createdAt: now.UTC().Truncate(time.Second)}
	c.updatedAt = c.createdAt
	for _, s := range configSettings {
		if s.def != nil && !s.writeOnly && s.name != "advanced_security" {
			c.settings[s.name] = cloneJSONValue(s.def)
		}
	}
	return c
}

// githubRecommended is GitHub's global configuration: its suggested settings, unenforced.
func githubRecommended(id int64, now time.Time) *securityConfiguration {
	c := newConfiguration(id, "", targetGlobal, "GitHub recommended", now)
	c.description = ptr("Suggested settings for Dependabot, secret scanning, and code scanning.")
	c.codeSecurity, c.secretProtection = featureEnabled, featureEnabled
	for _, k := range []string{"dependabot_alerts", "dependabot_security_updates", "code_scanning_default_setup",
		"secret_scanning", "secret_scanning_push_protection", "private_vulnerability_reporting"} {
		c.settings[k] = featureEnabled
	}
	c.settings["enforcement"] = enforcementUnenforced
	return c
}

func cloneJSONValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = cloneJSONValue(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = cloneJSONValue(x)
		}
		return out
	default:
		return v
	}
}

// setting is a string setting's value ("" if unset).
func (c *securityConfiguration) setting(name string) string {
	s, _ := c.settings[name].(string)
	return s
}

func (c *securityConfiguration) enforced() bool {
	return c.setting("enforcement") == enforcementEnforced
}

// advancedSecurity is what answers show as advanced_security: GitHub's description says
// "enabled" turns on both Code Security and Secret Protection, and the deprecated values
// code_security and secret_protection each one.
func (c *securityConfiguration) advancedSecurity() string {
	cs, sp := c.codeSecurity == featureEnabled, c.secretProtection == featureEnabled
	switch {
	case cs && sp:
		return featureEnabled
	case cs:
		return "code_security"
	case sp:
		return "secret_protection"
	default:
		return featureDisabled
	}
}

// apply makes the change; advanced_security first, so code_security or secret_protection named
// beside it wins for its product.
func (c *securityConfiguration) apply(ch configChange) {
	if ch.name != nil {
		c.name = *ch.name
	}
	if ch.description != nil {
		c.description = ptr(*ch.description)
	}
	if v, ok := ch.settings["advanced_security"].(string); ok {
		switch v {
		case featureEnabled, featureDisabled:
			c.codeSecurity, c.secretProtection = v, v
		case "code_security":
			c.codeSecurity, c.secretProtection = featureEnabled, featureDisabled
		case "secret_protection":
			c.codeSecurity, c.secretProtection = featureDisabled, featureEnabled
		}
	}
	for k, v := range ch.settings {
		switch k {
		case "advanced_security":
		case "code_security":
			c.codeSecurity, _ = v.(string)
		case "secret_protection":
			c.secretProtection, _ = v.(string)
		default:
			c.settings[k] = cloneJSONValue(v)
		}
	}
}

// snapshot is what an update compares to tell whether it changed anything.
func (c *securityConfiguration) snapshot() string {
	b, _ := json.Marshal([]any{c.name, c.description, c.settings, c.codeSecurity, c.secretProtection})
	return string(b)
}

// configurationJSON is a configuration as the emulated server's answers show it, with its URLs
// under org. Callers hold the lock.
func (e *Emulator) configurationJSON(c *securityConfiguration, org, apiBase, webBase string) map[string]any {
	out := map[string]any{
		"id":          c.id,
		"name":        c.name,
		"target_type": c.targetType,
		"description": c.description,
		"url":         fmt.Sprintf("%sorgs/%s/code-security/configurations/%d", apiBase, url.PathEscape(org), c.id),
		"html_url": fmt.Sprintf("%sorganizations/%s/settings/security_products/configurations/edit/%d",
			webBase, url.PathEscape(org), c.id),
		"created_at":        githubTime(c.createdAt),
		"updated_at":        githubTime(c.updatedAt),
		"advanced_security": c.advancedSecurity(),
	}
	for _, s := range configSettings {
		v, set := c.settings[s.name]
		if s.writeOnly || !set || !e.releaseHas(s.read) {
			continue
		}
		v = cloneJSONValue(v)
		if s.kind == kindBypassOptions {
			if m, ok := v.(map[string]any); ok {
				for _, r := range m["reviewers"].([]any) { //nolint:forcetypeassert // bypassOptionsValue builds it
					r.(map[string]any)["security_configuration_id"] = c.id //nolint:forcetypeassert // as above
				}
			}
		}
		out[s.name] = v
	}
	return out
}

// orgExists reports whether org owns a repository. Callers hold the lock.
func (e *Emulator) orgExists(org string) bool {
	for _, st := range e.repos {
		if strings.EqualFold(st.repo.Owner, org) {
			return true
		}
	}
	return false
}

// orgConfigurations are the configurations org may use (its own and the global ones), by id.
// Callers hold the lock.
func (e *Emulator) orgConfigurations(org string) []*securityConfiguration {
	var out []*securityConfiguration
	for _, c := range e.configs {
		if c.targetType == targetGlobal || strings.EqualFold(c.org, org) {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b *securityConfiguration) int { return int(a.id - b.id) })
	return out
}

// configurationFor is the configuration a request's path names that the organization may use,
// or GitHub's 404; own is whether it must be the organization's own (to change or delete it:
// a global configuration is GitHub's). Callers hold the lock.
func (e *Emulator) configurationFor(r *http.Request, own bool, docsURL string) (*securityConfiguration, answer, bool) {
	org := r.PathValue("org")
	id, err := strconv.ParseInt(r.PathValue("configuration_id"), 10, 64)
	c := e.configs[id]
	if err != nil || c == nil || !e.orgExists(org) ||
		(!strings.EqualFold(c.org, org) && (own || c.targetType != targetGlobal)) {
		return nil, errorAnswer(http.StatusNotFound, msgNotFound, docsURL), false
	}
	return c, answer{}, true
}

// nameTaken reports whether another configuration of org has the name ("Must be unique within
// the organization"). Callers hold the lock.
func (e *Emulator) nameTaken(org, name string, except int64) bool {
	for _, c := range e.orgConfigurations(org) {
		if c.id != except && strings.EqualFold(c.name, name) {
			return true
		}
	}
	return false
}

func msgNameTaken(name string) string {
	return fmt.Sprintf("Name has already been taken: the organization has a configuration named %q.", name)
}

// listConfigurations serves GET /orgs/{org}/code-security/configurations.
func (e *Emulator) listConfigurations(w http.ResponseWriter, r *http.Request) {
	var links string
	a := e.withState(func(time.Time) answer {
		org := r.PathValue("org")
		if !e.orgExists(org) {
			return errorAnswer(http.StatusNotFound, msgNotFound, docsListConfigurations)
		}
		q := r.URL.Query()
		target := "all"
		if q.Has("target_type") {
			target = q.Get("target_type")
			if !slices.Contains([]string{targetGlobal, "all"}, target) {
				return invalidRequestFor(docsListConfigurations, fmt.Sprintf("For 'target_type', %q is not one of %s.",
					target, enumList([]string{targetGlobal, "all"})))
			}
		}
		items := slices.DeleteFunc(e.orgConfigurations(org), func(c *securityConfiguration) bool {
			return target == targetGlobal && c.targetType != targetGlobal
		})
		page, rels, problems := cursorPage(items, func(c *securityConfiguration) int64 { return c.id }, "configuration",
			q, e.linkBuilderFor(r))
		if len(problems) > 0 {
			return invalidRequestFor(docsListConfigurations, problems...)
		}
		links = linkHeader(rels)
		apiBase, webBase := e.urlsFor(r)
		body := make([]map[string]any, len(page))
		for i, c := range page {
			body[i] = e.configurationJSON(c, org, apiBase, webBase)
		}
		return answer{status: http.StatusOK, body: body}
	})
	writeListAnswer(w, a, links)
}

// createConfiguration serves POST /orgs/{org}/code-security/configurations.
func (e *Emulator) createConfiguration(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body) // recording has read it into memory already
	writeAnswer(w, e.withState(func(now time.Time) answer {
		org := r.PathValue("org")
		if !e.orgExists(org) {
			return errorAnswer(http.StatusNotFound, msgNotFound, docsCreateConfiguration)
		}
		ch, refusal, ok := e.parseConfigChange(body, true, docsCreateConfiguration)
		if !ok {
			return refusal
		}
		if e.nameTaken(org, *ch.name, 0) {
			return invalidRequestFor(docsCreateConfiguration, msgNameTaken(*ch.name))
		}
		e.lastConfigID++
		c := newConfiguration(e.lastConfigID, org, targetOrganization, *ch.name, now)
		c.apply(ch)
		e.configs[c.id] = c
		apiBase, webBase := e.urlsFor(r)
		return answer{status: http.StatusCreated, body: e.configurationJSON(c, org, apiBase, webBase)}
	}))
}

// getConfiguration serves GET /orgs/{org}/code-security/configurations/{configuration_id}.
func (e *Emulator) getConfiguration(w http.ResponseWriter, r *http.Request) {
	writeAnswer(w, e.withState(func(time.Time) answer {
		c, refusal, ok := e.configurationFor(r, false, docsGetConfiguration)
		if !ok {
			return refusal
		}
		apiBase, webBase := e.urlsFor(r)
		return answer{status: http.StatusOK, body: e.configurationJSON(c, r.PathValue("org"), apiBase, webBase)}
	}))
}

// patchConfiguration serves PATCH .../configurations/{configuration_id}: 200 with the
// configuration, or 204 when the body changes nothing. Repositories attached to it go
// updating until the emulator's attachment job reaches them (security_configuration_jobs.go).
func (e *Emulator) patchConfiguration(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	writeAnswer(w, e.withState(func(now time.Time) answer {
		c, refusal, ok := e.configurationFor(r, true, docsUpdateConfiguration)
		if !ok {
			return refusal
		}
		ch, refusal, ok := e.parseConfigChange(body, false, docsUpdateConfiguration)
		if !ok {
			return refusal
		}
		if ch.name != nil && e.nameTaken(c.org, *ch.name, c.id) {
			return invalidRequestFor(docsUpdateConfiguration, msgNameTaken(*ch.name))
		}
		before := c.snapshot()
		c.apply(ch)
		if c.snapshot() == before {
			return answer{status: http.StatusNoContent}
		}
		c.updatedAt = now.UTC().Truncate(time.Second)
		e.configurationChanged(c, now)
		apiBase, webBase := e.urlsFor(r)
		return answer{status: http.StatusOK, body: e.configurationJSON(c, r.PathValue("org"), apiBase, webBase)}
	}))
}

// deleteConfiguration serves DELETE .../configurations/{configuration_id}. Its repositories are
// detached and keep their settings, as GitHub's description says; it stops being a default.
func (e *Emulator) deleteConfiguration(w http.ResponseWriter, r *http.Request) {
	writeAnswer(w, e.withState(func(time.Time) answer {
		c, refusal, ok := e.configurationFor(r, true, docsDeleteConfiguration)
		if !ok {
			return refusal
		}
		for _, st := range e.repos {
			if st.attachment != nil && st.attachment.configID == c.id {
				st.attachment = nil
			}
		}
		for _, defaults := range e.orgDefaults {
			delete(defaults, c.id)
		}
		delete(e.configs, c.id)
		return answer{status: http.StatusNoContent}
	}))
}

// SecurityConfiguration is what a test may read of a configuration: its name, enforcement,
// settings (as answers show them, advanced_security included) and what new repositories it is
// the default for ("" for none).
type SecurityConfiguration struct {
	ID          int64
	Org, Name   string
	Settings    map[string]any
	DefaultFor  string
	TargetType  string
	Description *string
}

// SecurityConfigurations are the configurations org may use, by id, as the emulator holds them.
func (e *Emulator) SecurityConfigurations(org string) []SecurityConfiguration {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []SecurityConfiguration
	defaults := e.orgDefaultsOf(org)
	for _, c := range e.orgConfigurations(org) {
		settings := cloneJSONValue(c.settings).(map[string]any) //nolint:forcetypeassert // a map clones to a map
		settings["advanced_security"] = c.advancedSecurity()
		out = append(out, SecurityConfiguration{ID: c.id, Org: c.org, Name: c.name, Settings: settings,
			DefaultFor: defaults[c.id], TargetType: c.targetType, Description: clonePtr(c.description)})
	}
	return out
}
