package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Defaults for new repositories: each organization may make a configuration (its own or a
// global one) the default for new public repositories, private and internal ones, or all. A
// repository the emulator creates (AddRepository) in that organization is then attached to it
// through the attachment job. GitHub does not say what setting one configuration's default
// does to another's that overlaps it; the emulator keeps one default per visibility, so the
// newer takes the visibilities it names from the older ("all" over "public" leaves nothing).

// Values of default_for_new_repos.
const (
	defaultForAll                = "all"
	defaultForNone               = "none"
	defaultForPublic             = "public"
	defaultForPrivateAndInternal = "private_and_internal"
)

var defaultForValues = []string{defaultForAll, defaultForNone, defaultForPrivateAndInternal, defaultForPublic}

// defaultCovers reports whether a default for kind applies to a repository of visibility.
func defaultCovers(kind, visibility string) bool {
	switch kind {
	case defaultForAll:
		return true
	case defaultForPublic:
		return visibility == VisibilityPublic
	case defaultForPrivateAndInternal:
		return visibility != VisibilityPublic
	}
	return false
}

// withoutKind is what remains of default have once kind is given to another configuration.
func withoutKind(have, kind string) string {
	switch {
	case kind == defaultForAll || have == kind:
		return ""
	case have == defaultForAll && kind == defaultForPublic:
		return defaultForPrivateAndInternal
	case have == defaultForAll && kind == defaultForPrivateAndInternal:
		return defaultForPublic
	}
	return have
}

// orgDefaultsOf is org's defaults, configuration id to kind. Callers hold the lock.
func (e *Emulator) orgDefaultsOf(org string) map[int64]string {
	key := strings.ToLower(org)
	if e.orgDefaults[key] == nil {
		e.orgDefaults[key] = map[int64]string{}
	}
	return e.orgDefaults[key]
}

// setConfigurationDefault serves PUT .../configurations/{configuration_id}/defaults.
func (e *Emulator) setConfigurationDefault(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	writeAnswer(w, e.withState(func(time.Time) answer {
		c, refusal, ok := e.configurationFor(r, false, docsSetDefaultConfig)
		if !ok {
			return refusal
		}
		if !json.Valid(body) {
			return errorAnswer(http.StatusBadRequest, msgProblemsParsingJSON, docsSetDefaultConfig)
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
			return invalidRequestFor(docsSetDefaultConfig, fmt.Sprintf("For 'links/0/schema', %s is not an object.", compactJSON(body)))
		}
		defaults := e.orgDefaultsOf(r.PathValue("org"))
		if raw, given := fields["default_for_new_repos"]; given {
			kind, problem := enumField("default_for_new_repos", raw, defaultForValues)
			if problem != "" {
				return invalidRequestFor(docsSetDefaultConfig, problem)
			}
			delete(defaults, c.id)
			if *kind != defaultForNone {
				for id, have := range defaults {
					if rest := withoutKind(have, *kind); rest == "" {
						delete(defaults, id)
					} else {
						defaults[id] = rest
					}
				}
				defaults[c.id] = *kind
			}
		}
		kind := defaults[c.id]
		if kind == "" {
			kind = defaultForNone
		}
		apiBase, webBase := e.urlsFor(r)
		return answer{status: http.StatusOK, body: map[string]any{
			"default_for_new_repos": kind,
			"configuration":         e.configurationJSON(c, r.PathValue("org"), apiBase, webBase),
		}}
	}))
}

// listConfigurationDefaults serves GET /orgs/{org}/code-security/configurations/defaults.
func (e *Emulator) listConfigurationDefaults(w http.ResponseWriter, r *http.Request) {
	writeAnswer(w, e.withState(func(time.Time) answer {
		org := r.PathValue("org")
		if !e.orgExists(org) {
			return errorAnswer(http.StatusNotFound, msgNotFound, docsGetDefaultConfigs)
		}
		defaults := e.orgDefaultsOf(org)
		apiBase, webBase := e.urlsFor(r)
		body := []map[string]any{}
		for _, c := range e.orgConfigurations(org) {
			if kind := defaults[c.id]; kind != "" {
				body = append(body, map[string]any{"default_for_new_repos": kind,
					"configuration": e.configurationJSON(c, org, apiBase, webBase)})
			}
		}
		return answer{status: http.StatusOK, body: body}
	}))
}

// attachNewRepositoryDefault attaches a new repository to its organization's default for its
// visibility, if there is one. Callers hold the lock.
func (e *Emulator) attachNewRepositoryDefault(st *repoState, now time.Time) {
	for id, kind := range e.orgDefaults[strings.ToLower(st.repo.Owner)] {
		if c := e.configs[id]; c != nil && defaultCovers(kind, st.repo.visibility()) {
			e.startAttachment(st, c, attachAttaching, now)
			return
		}
	}
}
