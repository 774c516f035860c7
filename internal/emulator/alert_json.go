package emulator

import (
	"strconv"
)

// alertJSON is GitHub's "Code Scanning Alert" for a, shown with inst as its most recent
// instance (the most recent on the ref a list asked for). Callers hold the lock.
func (e *Emulator) alertJSON(st *repoState, a *Alert, inst *AlertInstance, apiBase, webBase string) map[string]any {
	if inst == nil {
		inst = &a.Instances[0]
	}
	u := alertURL(st, a.Number, apiBase)
	var fixedAt, dismissedAt any
	if a.FixedAt != nil {
		fixedAt = githubTime(*a.FixedAt)
	}
	if a.DismissedAt != nil {
		dismissedAt = githubTime(*a.DismissedAt)
	}
	assignees := make([]map[string]any, len(a.Assignees))
	for i, login := range a.Assignees {
		assignees[i] = e.simpleUserJSON(login, apiBase, webBase)
	}
	// An instance's own state says whether the result is still found; the alert's dismissal
	// shows through it, as the most recent instance of a dismissed alert reads "dismissed".
	instState := inst.State
	if a.State == alertDismissed && instState == alertOpen {
		instState = alertDismissed
	}
	mostRecent := instanceJSON(*inst)
	mostRecent["state"] = instState
	return map[string]any{
		"number":                a.Number,
		"created_at":            githubTime(a.CreatedAt),
		"updated_at":            githubTime(a.UpdatedAt),
		"url":                   u,
		"html_url":              webBase + repoPath(st.repo) + "/security/code-scanning/" + strconv.Itoa(a.Number),
		"instances_url":         u + "/instances",
		"state":                 a.State,
		"fixed_at":              fixedAt,
		"dismissed_by":          e.optionalUserJSON(a.DismissedBy, apiBase, webBase),
		"dismissed_at":          dismissedAt,
		"dismissed_reason":      a.DismissedReason,
		"dismissed_comment":     a.DismissedComment,
		"dismissal_approved_by": e.optionalUserJSON(a.DismissalApprovedBy, apiBase, webBase),
		"assignees":             assignees,
		"rule":                  ruleJSON(a.Rule),
		"tool":                  toolJSON(a.Tool),
		"most_recent_instance":  mostRecent,
	}
}

func alertURL(st *repoState, number int, apiBase string) string {
	return apiBase + "repos/" + repoPath(st.repo) + "/code-scanning/alerts/" + strconv.Itoa(number)
}

// optionalUserJSON is a Simple User, or null. Callers hold the lock.
func (e *Emulator) optionalUserJSON(login *string, apiBase, webBase string) any {
	if login == nil {
		return nil
	}
	return e.simpleUserJSON(*login, apiBase, webBase)
}

func ruleJSON(r AlertRule) map[string]any {
	full := r.FullDescription
	if full == "" {
		full = r.Description
	}
	var help any
	if r.Help != "" {
		help = r.Help
	}
	return map[string]any{
		"id":                      r.ID,
		"name":                    r.Name,
		"severity":                r.Severity,
		"security_severity_level": r.SecuritySeverityLevel,
		"description":             r.Description,
		"full_description":        full,
		"tags":                    r.Tags,
		"help":                    help,
		"help_uri":                nil,
	}
}

func toolJSON(t AlertTool) map[string]any {
	var version any
	if t.Version != "" {
		version = t.Version
	}
	return map[string]any{"name": t.Name, "version": version, "guid": t.GUID}
}

// instanceJSON is one entry of an alert's instances list; most_recent_instance has the same
// shape.
func instanceJSON(in AlertInstance) map[string]any {
	return map[string]any{
		"ref":          in.Ref,
		"analysis_key": in.AnalysisKey,
		"environment":  in.Environment,
		"category":     in.Category,
		"state":        in.State,
		"commit_sha":   in.CommitSHA,
		"message":      map[string]any{"text": in.Message},
		"location": map[string]any{
			"path":         in.Path,
			"start_line":   in.StartLine,
			"end_line":     in.EndLine,
			"start_column": in.StartColumn,
			"end_column":   in.EndColumn,
		},
		"classifications": in.Classifications,
	}
}

// simpleRepositoryJSON is GitHub's "Simple Repository", as the organization alert list embeds
// it: the minimal repository without its settings. Callers hold the lock.
func (e *Emulator) simpleRepositoryJSON(st *repoState, apiBase, webBase string) map[string]any {
	repo := e.minimalRepositoryJSON(st, apiBase, webBase)
	for _, k := range []string{"archived", "disabled", "visibility"} {
		delete(repo, k)
	}
	return repo
}
