package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Attaching a configuration is a job GitHub runs after answering 202: each targeted repository
// is attaching until the job reaches it (Config.AttachmentDelay), then attached (shown as
// enforced under an enforced configuration) or failed. A repository attached to a
// configuration takes its code scanning default setup (enabled: configured with the detected
// languages; disabled: not configured; not_set: left alone), so GET default-setup shows it, and
// keeps it when detached. Changing a configuration puts its repositories through the job again
// (updating), as GitHub lists them meanwhile.

// Attachment statuses, as GitHub names them.
const (
	attachAttaching = "attaching"
	attachAttached  = "attached"
	attachEnforced  = "enforced"
	attachFailed    = "failed"
	attachUpdating  = "updating"
)

// attachmentStatuses are every status GitHub's descriptions list, for the status filter.
var attachmentStatuses = []string{attachAttached, attachAttaching, "detached", "removed", attachEnforced,
	attachFailed, attachUpdating, "removed_by_enterprise"}

// What attaching a configuration with paid features (Code Security, Secret Protection or code
// scanning default setup) does to a repository without Advanced Security
// (Config.UnlicensedAttachment). GitHub's description says "only free features will be
// enabled" when licences run short; the issue tracker reports failed too.
const (
	UnlicensedAttachmentFails        = ""              // the repository ends failed
	UnlicensedAttachmentFreeFeatures = "free-features" // attached, paid features left off
)

// attachment is a repository's association with a configuration.
type attachment struct {
	configID int64
	status   string // attaching, updating, attached or failed
	due      time.Time
}

// startAttachment puts st through the attachment job for c. Callers hold the lock.
func (e *Emulator) startAttachment(st *repoState, c *securityConfiguration, status string, now time.Time) {
	st.attachment = &attachment{configID: c.id, status: status, due: now.Add(e.cfg.AttachmentDelay)}
	e.attachQueue = append(e.attachQueue, st)
}

// settleAttachments finishes every job step due by now. Callers hold the lock.
func (e *Emulator) settleAttachments(now time.Time) {
	if len(e.attachQueue) == 0 {
		return
	}
	waiting := e.attachQueue[:0]
	for _, st := range e.attachQueue {
		a := st.attachment
		switch {
		case a == nil || (a.status != attachAttaching && a.status != attachUpdating) || e.repos[repoKey(st.repo.Owner, st.repo.Name)] != st:
		case a.due.After(now):
			waiting = append(waiting, st)
		default:
			e.finishAttachment(st, now)
		}
	}
	clear(e.attachQueue[len(waiting):])
	e.attachQueue = waiting
}

// needsLicence reports whether c turns on something paid for a private repository.
func (c *securityConfiguration) needsLicence() bool {
	return c.advancedSecurity() != featureDisabled || c.setting("code_scanning_default_setup") == featureEnabled
}

// finishAttachment is the job reaching st. Callers hold the lock.
func (e *Emulator) finishAttachment(st *repoState, now time.Time) {
	c := e.configs[st.attachment.configID]
	if c == nil {
		st.attachment = nil
		return
	}
	if c.needsLicence() && !st.repo.AdvancedSecurity {
		if e.cfg.UnlicensedAttachment == UnlicensedAttachmentFreeFeatures {
			st.attachment.status = attachAttached
		} else {
			st.attachment.status = attachFailed
		}
		return
	}
	st.attachment.status = attachAttached
	e.applyConfigurationSetup(st, c, now)
}

// applyConfigurationSetup gives st the default setup c asks for. A repository already
// configured keeps its languages, query suite and threat model (the configuration names none);
// runners follow the configuration's options when they name a type. Callers hold the lock.
func (e *Emulator) applyConfigurationSetup(st *repoState, c *securityConfiguration, now time.Time) {
	stamp := ptr(now.UTC().Truncate(time.Second))
	switch c.setting("code_scanning_default_setup") {
	case featureDisabled:
		if st.setup.State == stateConfigured {
			st.setup = notConfigured()
		}
	case featureEnabled:
		next := st.setup.clone()
		if next.State != stateConfigured {
			langs := detectedCodeQLLanguages(st.repo.Languages)
			if len(langs) == 0 {
				return // nothing default setup could analyse
			}
			next = DefaultSetup{State: stateConfigured, Languages: langs}
		}
		if opts, ok := c.settings["code_scanning_default_setup_options"].(map[string]any); ok {
			if rt, _ := opts["runner_type"].(string); rt == runnerStandard || rt == runnerLabeled {
				next.RunnerType = ptr(rt)
				next.RunnerLabel = nil
				if label, ok := opts["runner_label"].(string); ok && rt == runnerLabeled {
					next.RunnerLabel = ptr(label)
				}
			}
		}
		if !sameConfiguration(next, st.setup) {
			next.UpdatedAt = stamp
			st.setup = next.normalize(now)
		}
	}
}

// configurationChanged puts the repositories attached to c through the job again. Callers hold
// the lock.
func (e *Emulator) configurationChanged(c *securityConfiguration, now time.Time) {
	for _, st := range e.repos {
		if a := st.attachment; a != nil && a.configID == c.id && a.status != attachFailed {
			e.startAttachment(st, c, attachUpdating, now)
		}
	}
}

// shownStatus is a repository's status as GitHub lists it.
func (e *Emulator) shownStatus(a *attachment) string {
	if a.status == attachAttached {
		if c := e.configs[a.configID]; c != nil && c.enforced() {
			return attachEnforced
		}
	}
	return a.status
}

// enforcingConfiguration is the configuration that forbids repository-level default setup
// changes on st: an enforced one, attached, that sets default setup. Callers hold the lock.
func (e *Emulator) enforcingConfiguration(st *repoState) *securityConfiguration {
	a := st.attachment
	if a == nil || (a.status != attachAttached && a.status != attachUpdating) {
		return nil
	}
	c := e.configs[a.configID]
	if c == nil || !c.enforced() || c.setting("code_scanning_default_setup") == featureNotSet {
		return nil
	}
	return c
}

// enforcedSetupRefusal is the answer to a repository-level default setup change under an
// enforced configuration. GitHub does not document it: Config.EnforcedSetupStatus picks 403 or
// 422, and the words are the emulator's.
func (e *Emulator) enforcedSetupRefusal(c *securityConfiguration) answer {
	msg := fmt.Sprintf("Code scanning default setup of this repository is managed by the enforced code security configuration %q; "+
		"change the configuration or detach the repository.", c.name)
	if e.cfg.EnforcedSetupStatus == http.StatusUnprocessableEntity {
		return invalidRequestFor(docsUpdateDefaultSetup, msg)
	}
	return errorAnswer(http.StatusForbidden, msg, docsUpdateDefaultSetup)
}

// orgRepos are the repositories of org, by id. Callers hold the lock.
func (e *Emulator) orgRepos(org string) []*repoState {
	var out []*repoState
	for _, st := range e.repos {
		if strings.EqualFold(st.repo.Owner, org) {
			out = append(out, st)
		}
	}
	slices.SortFunc(out, func(a, b *repoState) int { return int(a.id - b.id) })
	return out
}

// Attachment scopes.
var attachScopes = []string{"all", "all_without_configurations", "public", "private_or_internal", "selected"}

// repositoryIDs decodes a selected_repository_ids value.
func repositoryIDs(raw json.RawMessage) ([]int64, string) {
	var ids []int64
	if err := json.Unmarshal(raw, &ids); err != nil || isJSONNull(raw) {
		return nil, fmt.Sprintf("For 'properties/selected_repository_ids', %s is not an array of integers.", compactJSON(raw))
	}
	return ids, ""
}

// attachConfiguration serves POST .../configurations/{configuration_id}/attach: 202 and {},
// the job doing the rest. A repository attached to another configuration is re-attached, as
// GitHub's description says.
func (e *Emulator) attachConfiguration(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	writeAnswer(w, e.withState(func(now time.Time) answer {
		c, refusal, ok := e.configurationFor(r, false, docsAttachConfiguration)
		if !ok {
			return refusal
		}
		scope, ids, problems := parseAttachBody(body)
		if problems == nil && !json.Valid(body) {
			return errorAnswer(http.StatusBadRequest, msgProblemsParsingJSON, docsAttachConfiguration)
		}
		if len(problems) > 0 {
			return invalidRequestFor(docsAttachConfiguration, problems...)
		}
		for _, st := range e.orgRepos(r.PathValue("org")) {
			if attachScopeCovers(scope, ids, st) {
				e.startAttachment(st, c, attachAttaching, now)
			}
		}
		return answer{status: http.StatusAccepted, body: struct{}{}}
	}))
}

func parseAttachBody(body []byte) (string, []int64, []string) {
	if !json.Valid(body) {
		return "", nil, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return "", nil, []string{fmt.Sprintf("For 'links/0/schema', %s is not an object.", compactJSON(body))}
	}
	var scope *string
	var ids []int64
	var problems []string
	for key, raw := range fields {
		var problem string
		switch key {
		case "scope":
			scope, problem = enumField(key, raw, attachScopes)
		case "selected_repository_ids":
			ids, problem = repositoryIDs(raw)
		default:
			problem = fmt.Sprintf("%q is not a permitted key.", key)
		}
		if problem != "" {
			problems = append(problems, problem)
		}
	}
	switch {
	case len(problems) > 0:
	case scope == nil:
		problems = append(problems, `"scope" wasn't supplied.`)
	case *scope != "selected" && fields["selected_repository_ids"] != nil:
		problems = append(problems, "You can only provide a list of repository ids when the scope is set to selected.")
	case *scope == "selected" && len(ids) == 0:
		problems = append(problems, "selected_repository_ids must name at least one repository when the scope is selected.")
	}
	slices.Sort(problems)
	if len(problems) > 0 {
		return "", nil, problems
	}
	return *scope, ids, nil
}

func attachScopeCovers(scope string, ids []int64, st *repoState) bool {
	switch scope {
	case "all":
		return true
	case "all_without_configurations":
		return st.attachment == nil
	case "public":
		return st.repo.visibility() == VisibilityPublic
	case "private_or_internal":
		return st.repo.visibility() != VisibilityPublic
	default:
		return slices.Contains(ids, st.id)
	}
}

// maxDetach is the most repositories one detach names (github.com and GHES 3.19; 3.17 states
// no limit).
const maxDetach = 250

// detachConfigurations serves DELETE /orgs/{org}/code-security/configurations/detach: the
// repositories named keep their settings and leave whatever configuration they had.
func (e *Emulator) detachConfigurations(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	writeAnswer(w, e.withState(func(time.Time) answer {
		org := r.PathValue("org")
		if !e.orgExists(org) {
			return errorAnswer(http.StatusNotFound, msgNotFound, docsDetachConfiguration)
		}
		if !json.Valid(body) {
			return errorAnswer(http.StatusBadRequest, msgProblemsParsingJSON, docsDetachConfiguration)
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
			return invalidRequestFor(docsDetachConfiguration, fmt.Sprintf("For 'links/0/schema', %s is not an object.", compactJSON(body)))
		}
		var problems []string
		for key := range fields {
			if key != "selected_repository_ids" {
				problems = append(problems, fmt.Sprintf("%q is not a permitted key.", key))
			}
		}
		raw, given := fields["selected_repository_ids"]
		var ids []int64
		if !given {
			problems = append(problems, `"selected_repository_ids" wasn't supplied.`)
		} else if v, problem := repositoryIDs(raw); problem != "" {
			problems = append(problems, problem)
		} else {
			ids = v
		}
		limited := e.releaseHas(enterpriseRelease{3, 19})
		if given && len(problems) == 0 && limited && (len(ids) < 1 || len(ids) > maxDetach) {
			problems = append(problems, fmt.Sprintf("For 'properties/selected_repository_ids', %d items are not between 1 and %d.", len(ids), maxDetach))
		}
		if len(problems) > 0 {
			slices.Sort(problems)
			return invalidRequestFor(docsDetachConfiguration, problems...)
		}
		for _, st := range e.orgRepos(org) {
			if slices.Contains(ids, st.id) {
				st.attachment = nil
			}
		}
		return answer{status: http.StatusNoContent}
	}))
}

// listConfigurationRepositories serves GET .../configurations/{configuration_id}/repositories:
// the organization's repositories associated with it and their statuses, by repository id,
// paged by cursor; status is a comma-separated filter ("all" by default).
func (e *Emulator) listConfigurationRepositories(w http.ResponseWriter, r *http.Request) {
	var links string
	a := e.withState(func(time.Time) answer {
		c, refusal, ok := e.configurationFor(r, false, docsConfigRepositories)
		if !ok {
			return refusal
		}
		q := r.URL.Query()
		var wanted []string
		if q.Has("status") {
			for _, s := range strings.Split(q.Get("status"), ",") {
				s = strings.TrimSpace(s)
				if s != "all" && !slices.Contains(attachmentStatuses, s) {
					return invalidRequestFor(docsConfigRepositories, fmt.Sprintf("For 'status', %q is not one of %s.",
						s, enumList(append([]string{"all"}, attachmentStatuses...))))
				}
				if s == "all" {
					wanted = nil
					break
				}
				wanted = append(wanted, s)
			}
		}
		var items []*repoState
		for _, st := range e.orgRepos(r.PathValue("org")) {
			if st.attachment != nil && st.attachment.configID == c.id &&
				(wanted == nil || slices.Contains(wanted, e.shownStatus(st.attachment))) {
				items = append(items, st)
			}
		}
		page, rels, problems := cursorPage(items, func(st *repoState) int64 { return st.id }, "repository", q, e.linkBuilderFor(r))
		if len(problems) > 0 {
			return invalidRequestFor(docsConfigRepositories, problems...)
		}
		links = linkHeader(rels)
		apiBase, webBase := e.urlsFor(r)
		body := make([]map[string]any, len(page))
		for i, st := range page {
			body[i] = map[string]any{"status": e.shownStatus(st.attachment), "repository": e.minimalRepositoryJSON(st, apiBase, webBase)}
		}
		return answer{status: http.StatusOK, body: body}
	})
	writeListAnswer(w, a, links)
}

// getRepositoryConfiguration serves GET /repos/{owner}/{repo}/code-security-configuration: 204
// when no configuration is attached.
func (e *Emulator) getRepositoryConfiguration(w http.ResponseWriter, r *http.Request) {
	writeAnswer(w, e.withState(func(time.Time) answer {
		st := e.repoFor(r)
		if st == nil {
			return errorAnswer(http.StatusNotFound, msgNotFound, docsRepositoryConfguration)
		}
		if st.attachment == nil || e.configs[st.attachment.configID] == nil {
			return answer{status: http.StatusNoContent}
		}
		apiBase, webBase := e.urlsFor(r)
		c := e.configs[st.attachment.configID]
		return answer{status: http.StatusOK, body: map[string]any{
			"status":        e.shownStatus(st.attachment),
			"configuration": e.configurationJSON(c, st.repo.Owner, apiBase, webBase),
		}}
	}))
}

// RepositoryConfiguration is the configuration attached to a repository and its status as
// GitHub lists it; ok is false when none is attached (or the repository does not exist).
func (e *Emulator) RepositoryConfiguration(owner, name string) (configID int64, status string, ok bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.settleAttachments(e.now())
	st := e.repos[repoKey(owner, name)]
	if st == nil || st.attachment == nil {
		return 0, "", false
	}
	return st.attachment.configID, e.shownStatus(st.attachment), true
}

// RepositoryID is the id the emulator gave a repository, which attach and detach take; 0 when
// there is none.
func (e *Emulator) RepositoryID(owner, name string) int64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	if st := e.repos[repoKey(owner, name)]; st != nil {
		return st.id
	}
	return 0
}

// SetRepositoryConfiguration attaches a repository to configuration configID at once, as
// someone in GitHub's settings would, or with 0 detaches it; tests use it to make drift. The
// attachment goes through the job as the API's does (attaching for AttachmentDelay). Unknown
// repositories and configurations are ignored.
func (e *Emulator) SetRepositoryConfiguration(owner, name string, configID int64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	e.settleRuns(now)
	e.settleAttachments(now)
	st := e.repos[repoKey(owner, name)]
	if st == nil {
		return
	}
	if configID == 0 {
		st.attachment = nil
		return
	}
	if c := e.configs[configID]; c != nil {
		e.startAttachment(st, c, attachAttaching, now)
	}
}
