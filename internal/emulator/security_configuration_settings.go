package emulator

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"sort"
	"unicode/utf8"
)

// The settings of a code security configuration, as the create and update operations' bodies
// name them, checked as their schemas say (additionalProperties false, the enums, the nested
// option objects) and worded as the default setup PATCH words its problems. Each setting says
// which GHES releases have it in a write body and in an answer (testdata/ghes-3.17.json,
// ghes-3.19.json): a setting a release's write body lacks is a 422 "is not a permitted key"
// there, as the schema forbids unknown keys, and one its answer lacks is left out of answers.

// settingKind is the shape of a setting's value.
type settingKind int

const (
	kindEnablement          settingKind = iota // "enabled", "disabled", "not_set"
	kindAdvancedSecurity                       // advancedSecurityValues
	kindEnforcement                            // "enforced", "unenforced"
	kindAutosubmitOptions                      // {"labeled_runners": bool}
	kindCodeScanningOptions                    // {"allow_advanced": bool|null}, or null
	kindDefaultSetupOptions                    // {"runner_type": ..., "runner_label": string|null}, or null
	kindBypassOptions                          // {"reviewers": [{reviewer_id, reviewer_type, mode}]}
)

var (
	enablementValues       = []string{"enabled", "disabled", "not_set"}
	advancedSecurityValues = []string{"enabled", "disabled", "code_security", "secret_protection"}
	enforcementValues      = []string{enforcementEnforced, enforcementUnenforced}
	configRunnerTypes      = []string{runnerStandard, runnerLabeled, "not_set"}
	reviewerTypes          = []string{"TEAM", "ROLE"}
	reviewerModes          = []string{"ALWAYS", "EXEMPT"}
)

const (
	enforcementEnforced   = "enforced"
	enforcementUnenforced = "unenforced"
	featureEnabled        = "enabled"
	featureDisabled       = "disabled"
	featureNotSet         = "not_set"
)

// ghesNever is a GHES release no server is: a setting "since" it is on github.com only.
var ghesNever = enterpriseRelease{major: math.MaxInt}

// configSetting is one setting of a configuration.
type configSetting struct {
	name string
	kind settingKind
	// def is what a create gives a setting its body does not name: the create schema's default,
	// or, where it has none, what GitHub's example answers show.
	def any
	// writeOnly settings are taken by writes and never shown (code_security and
	// secret_protection: answers show them through advanced_security).
	writeOnly bool
	// The first GHES release whose create body, update body and answers have the setting; the
	// zero release is every one.
	create, update, read enterpriseRelease
}

var configSettings = []configSetting{
	{name: "advanced_security", kind: kindAdvancedSecurity, def: featureDisabled},
	{name: "code_security", kind: kindEnablement, writeOnly: true,
		create: enterpriseRelease{3, 19}, update: enterpriseRelease{3, 19}},
	{name: "secret_protection", kind: kindEnablement, writeOnly: true,
		create: enterpriseRelease{3, 19}, update: enterpriseRelease{3, 19}},
	{name: "dependency_graph", kind: kindEnablement, def: featureEnabled},
	{name: "dependency_graph_autosubmit_action", kind: kindEnablement, def: featureDisabled,
		create: ghesNever, update: ghesNever, read: ghesNever},
	{name: "dependency_graph_autosubmit_action_options", kind: kindAutosubmitOptions,
		def: map[string]any{"labeled_runners": false}, create: ghesNever, update: ghesNever, read: ghesNever},
	{name: "dependabot_alerts", kind: kindEnablement, def: featureDisabled},
	{name: "dependabot_security_updates", kind: kindEnablement, def: featureDisabled},
	{name: "dependabot_delegated_alert_dismissal", kind: kindEnablement, def: featureDisabled},
	// GHES 3.19's create body has code_scanning_options, its update body does not.
	{name: "code_scanning_options", kind: kindCodeScanningOptions, def: map[string]any{"allow_advanced": false},
		create: enterpriseRelease{3, 19}, update: ghesNever, read: enterpriseRelease{3, 19}},
	{name: "code_scanning_default_setup", kind: kindEnablement, def: featureDisabled},
	{name: "code_scanning_default_setup_options", kind: kindDefaultSetupOptions,
		def: map[string]any{"runner_type": featureNotSet, "runner_label": nil}},
	{name: "code_scanning_delegated_alert_dismissal", kind: kindEnablement, def: featureNotSet},
	{name: "secret_scanning", kind: kindEnablement, def: featureDisabled},
	{name: "secret_scanning_push_protection", kind: kindEnablement, def: featureDisabled},
	{name: "secret_scanning_delegated_bypass", kind: kindEnablement, def: featureDisabled},
	{name: "secret_scanning_delegated_bypass_options", kind: kindBypassOptions},
	{name: "secret_scanning_validity_checks", kind: kindEnablement, def: featureDisabled},
	{name: "secret_scanning_non_provider_patterns", kind: kindEnablement, def: featureDisabled},
	{name: "secret_scanning_generic_secrets", kind: kindEnablement, def: featureDisabled,
		create: ghesNever, update: ghesNever, read: ghesNever},
	{name: "secret_scanning_delegated_alert_dismissal", kind: kindEnablement, def: featureDisabled},
	{name: "secret_scanning_extended_metadata", kind: kindEnablement, def: featureDisabled,
		create: ghesNever, update: ghesNever, read: ghesNever},
	// Both GHES releases take private_vulnerability_reporting in writes but never show it.
	{name: "private_vulnerability_reporting", kind: kindEnablement, def: featureDisabled, read: ghesNever},
	{name: "enforcement", kind: kindEnforcement, def: enforcementEnforced},
}

func configSettingNamed(name string) (configSetting, bool) {
	i := slices.IndexFunc(configSettings, func(s configSetting) bool { return s.name == name })
	if i < 0 {
		return configSetting{}, false
	}
	return configSettings[i], true
}

// releaseHas reports whether the emulated server has a setting available since the release.
func (e *Emulator) releaseHas(since enterpriseRelease) bool {
	r, ghes := e.release()
	return !ghes || since == (enterpriseRelease{}) || r.atLeast(since.major, since.minor)
}

// configChange is a create or update body, checked: the settings it names, by API name, in the
// form answers show them.
type configChange struct {
	name        *string
	description *string
	settings    map[string]any
}

// parseConfigChange checks a create (creating) or update body for the emulated release.
func (e *Emulator) parseConfigChange(body []byte, creating bool, docsURL string) (configChange, answer, bool) {
	ch := configChange{settings: map[string]any{}}
	if !json.Valid(body) {
		return ch, errorAnswer(http.StatusBadRequest, msgProblemsParsingJSON, docsURL), false
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return ch, invalidRequestFor(docsURL, fmt.Sprintf("For 'links/0/schema', %s is not an object.", compactJSON(body))), false
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var problems []string
	for _, key := range keys {
		raw := fields[key]
		var problem string
		switch key {
		case "name":
			ch.name, problem = stringField(key, raw)
		case "description":
			ch.description, problem = stringField(key, raw)
			if problem == "" && utf8.RuneCountInString(*ch.description) > 255 {
				problem = "For 'properties/description', the value is longer than 255 characters."
			}
		default:
			s, known := configSettingNamed(key)
			since := s.update
			if creating {
				since = s.create
			}
			if !known || !e.releaseHas(since) {
				problem = fmt.Sprintf("%q is not a permitted key.", key)
				break
			}
			var v any
			v, problem = e.settingValue(s, raw)
			if problem == "" {
				ch.settings[key] = v
			}
		}
		if problem != "" {
			problems = append(problems, problem)
		}
	}
	if creating && ch.name == nil && !slices.Contains(keys, "name") {
		problems = append(problems, `"name" wasn't supplied.`)
	}
	if ch.name != nil && *ch.name == "" {
		problems = append(problems, "For 'properties/name', the name must not be empty.")
	}
	if len(problems) > 0 {
		return configChange{}, invalidRequestFor(docsURL, problems...), false
	}
	return ch, answer{}, true
}

func stringField(key string, raw json.RawMessage) (*string, string) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil || isJSONNull(raw) {
		return nil, fmt.Sprintf("For 'properties/%s', %s is not a string.", key, compactJSON(raw))
	}
	return &s, ""
}

func boolField(key string, raw json.RawMessage, nullable bool) (any, string) {
	if nullable && isJSONNull(raw) {
		return nil, ""
	}
	var b bool
	if err := json.Unmarshal(raw, &b); err != nil || isJSONNull(raw) {
		return nil, fmt.Sprintf("For 'properties/%s', %s is not a boolean.", key, compactJSON(raw))
	}
	return b, ""
}

// objectFields decodes a nested options object, refusing keys its schema does not list.
func objectFields(key string, raw json.RawMessage, allowed ...string) (map[string]json.RawMessage, string) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return nil, fmt.Sprintf("For 'properties/%s', %s is not an object.", key, compactJSON(raw))
	}
	for k := range fields {
		if !slices.Contains(allowed, k) {
			return nil, fmt.Sprintf("For 'properties/%s', %q is not a permitted key.", key, k)
		}
	}
	return fields, ""
}

// settingValue checks one setting's value and returns it as answers show it.
func (e *Emulator) settingValue(s configSetting, raw json.RawMessage) (any, string) {
	switch s.kind {
	case kindEnablement, kindAdvancedSecurity, kindEnforcement:
		allowed := map[settingKind][]string{kindEnablement: enablementValues,
			kindAdvancedSecurity: advancedSecurityValues, kindEnforcement: enforcementValues}[s.kind]
		v, problem := enumField(s.name, raw, allowed)
		if problem != "" {
			return nil, problem
		}
		return *v, ""
	case kindAutosubmitOptions:
		fields, problem := objectFields(s.name, raw, "labeled_runners")
		if problem != "" {
			return nil, problem
		}
		out := map[string]any{"labeled_runners": false}
		if r, ok := fields["labeled_runners"]; ok {
			if out["labeled_runners"], problem = boolField("labeled_runners", r, false); problem != "" {
				return nil, problem
			}
		}
		return out, ""
	case kindCodeScanningOptions:
		out := map[string]any{"allow_advanced": nil}
		if isJSONNull(raw) {
			return out, ""
		}
		fields, problem := objectFields(s.name, raw, "allow_advanced")
		if problem != "" {
			return nil, problem
		}
		if r, ok := fields["allow_advanced"]; ok {
			if out["allow_advanced"], problem = boolField("allow_advanced", r, true); problem != "" {
				return nil, problem
			}
		}
		return out, ""
	case kindDefaultSetupOptions:
		out := map[string]any{"runner_type": featureNotSet, "runner_label": nil}
		if isJSONNull(raw) {
			return out, ""
		}
		fields, problem := objectFields(s.name, raw, "runner_type", "runner_label")
		if problem != "" {
			return nil, problem
		}
		if r, ok := fields["runner_type"]; ok {
			v, problem := enumField("runner_type", r, configRunnerTypes)
			if problem != "" {
				return nil, problem
			}
			out["runner_type"] = *v
		}
		if r, ok := fields["runner_label"]; ok {
			v, problem := nullableStringField("runner_label", r)
			if problem != "" {
				return nil, problem
			}
			if v != nil {
				out["runner_label"] = *v
			}
		}
		return out, ""
	case kindBypassOptions:
		return e.bypassOptionsValue(s.name, raw)
	}
	return nil, fmt.Sprintf("%q is not a permitted key.", s.name)
}

// bypassOptionsValue checks the bypass reviewers; a reviewer's mode is github.com's only.
func (e *Emulator) bypassOptionsValue(key string, raw json.RawMessage) (any, string) {
	fields, problem := objectFields(key, raw, "reviewers")
	if problem != "" {
		return nil, problem
	}
	reviewers := []any{}
	var items []json.RawMessage
	if r, ok := fields["reviewers"]; ok {
		if err := json.Unmarshal(r, &items); err != nil || isJSONNull(r) {
			return nil, fmt.Sprintf("For 'properties/reviewers', %s is not an array.", compactJSON(r))
		}
	}
	allowed := []string{"reviewer_id", "reviewer_type"}
	if !e.isEnterprise() {
		allowed = append(allowed, "mode")
	}
	for _, item := range items {
		f, problem := objectFields("reviewers", item, allowed...)
		if problem != "" {
			return nil, problem
		}
		var id int64
		if err := json.Unmarshal(f["reviewer_id"], &id); err != nil || f["reviewer_id"] == nil {
			return nil, `For 'items', "reviewer_id" wasn't supplied or is not an integer.`
		}
		typ, problem := enumField("reviewer_type", f["reviewer_type"], reviewerTypes)
		if f["reviewer_type"] == nil {
			problem = `For 'items', "reviewer_type" wasn't supplied.`
		}
		if problem != "" {
			return nil, problem
		}
		reviewer := map[string]any{"reviewer_id": id, "reviewer_type": *typ}
		if !e.isEnterprise() {
			reviewer["mode"] = "ALWAYS"
			if r, ok := f["mode"]; ok {
				mode, problem := enumField("mode", r, reviewerModes)
				if problem != "" {
					return nil, problem
				}
				reviewer["mode"] = *mode
			}
		}
		reviewers = append(reviewers, reviewer)
	}
	return map[string]any{"reviewers": reviewers}, ""
}
