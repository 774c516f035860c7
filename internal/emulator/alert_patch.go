package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// maxDismissedComment is the schema's maxLength for dismissed_comment, in characters.
const maxDismissedComment = 280

// alertChange is a PATCH body that passed GitHub's schema. A nil field was not given.
type alertChange struct {
	state         *string
	reason        *string // nil when absent or null
	comment       *string // nil when absent, null or ""
	createRequest bool
	assignees     *[]string
}

// parseAlertChange checks a PATCH body against the operation's schema and words each problem as
// GitHub does for default setup. dismissed_reason takes "mitigated" too, as the schema says.
// requireState is GHES's rule: its descriptions (3.17, 3.19) list state as required, where
// github.com's needs state or assignees.
func parseAlertChange(body []byte, requireState bool) (alertChange, answer, bool) {
	var ch alertChange
	if !json.Valid(body) {
		return ch, errorAnswer(http.StatusBadRequest, msgProblemsParsingJSON, docsUpdateAlert), false
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return ch, invalidRequestFor(docsUpdateAlert,
			fmt.Sprintf("For 'links/0/schema', %s is not an object.", compactJSON(body))), false
	}

	var problems []string
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		raw := fields[key]
		var problem string
		switch key {
		case "state":
			ch.state, problem = enumField(key, raw, []string{alertOpen, alertDismissed})
		case "dismissed_reason":
			if !isJSONNull(raw) {
				ch.reason, problem = enumField(key, raw, patchReasons)
			}
		case "dismissed_comment":
			ch.comment, problem = nullableStringField(key, raw)
			if ch.comment != nil && utf8.RuneCountInString(*ch.comment) > maxDismissedComment {
				problem = fmt.Sprintf("For 'properties/dismissed_comment', the comment is %d characters long; "+
					"the maximum is %d.", utf8.RuneCountInString(*ch.comment), maxDismissedComment)
			}
		case "create_request":
			if err := json.Unmarshal(raw, &ch.createRequest); err != nil || isJSONNull(raw) {
				problem = fmt.Sprintf("For 'properties/create_request', %s is not a boolean.", compactJSON(raw))
			}
		case "assignees":
			var logins []string
			if err := json.Unmarshal(raw, &logins); err != nil || isJSONNull(raw) {
				problem = fmt.Sprintf("For 'properties/assignees', %s is not an array of strings.", compactJSON(raw))
			}
			ch.assignees = &logins
		}
		// Other keys are ignored: the schema does not forbid them.
		if problem != "" {
			problems = append(problems, problem)
		}
	}
	_, hasState := fields["state"]
	switch {
	case !hasState && requireState:
		problems = append(problems, `"state" wasn't supplied.`)
	case !hasState && ch.assignees == nil:
		problems = append(problems, `No subschema in "anyOf" matched: the body must set "state" or "assignees".`)
	}
	if len(problems) > 0 {
		return alertChange{}, invalidRequestFor(docsUpdateAlert, problems...), false
	}
	return ch, answer{}, true
}

// patchAlert serves PATCH /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}. The checks
// run in the order of the documented answers: the repository, its entitlement and archive flag,
// the alert, the body, then the rules the alert's state imposes. Nothing changes unless every
// check passes.
func (e *Emulator) patchAlert(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeAnswer(w, errorAnswer(http.StatusBadRequest, msgProblemsParsingJSON, docsUpdateAlert))
		return
	}
	login := e.loginFor(tokenFrom(r.Header))
	writeAnswer(w, e.withState(func(now time.Time) answer {
		st, refusal, ok := e.codeScanningRepo(r, docsUpdateAlert)
		if !ok {
			return refusal
		}
		if st.repo.Archived {
			return errorAnswer(http.StatusForbidden, msgArchived, docsUpdateAlert)
		}
		a, refusal, ok := alertIn(st, r, docsUpdateAlert)
		if !ok {
			return refusal
		}
		ch, refusal, ok := parseAlertChange(body, e.isEnterprise())
		if !ok {
			return refusal
		}
		if refusal, ok := e.checkAlertChange(st, a, ch); !ok {
			return refusal
		}
		if applyAlertChange(st, a, ch, login, now) {
			a.UpdatedAt = now.UTC().Truncate(time.Second)
			st.alerts.changed()
		}
		apiBase, webBase := e.urlsFor(r)
		return answer{status: http.StatusOK, body: e.alertJSON(st, a, a.shownInstance(), apiBase, webBase)}
	}))
}

// checkAlertChange applies GitHub's rules for what a change may do to a in its state.
//   - A fixed alert cannot be dismissed or reopened: GitHub closes and reopens it from analyses.
//     The operation documents 400 and not 422, so this is a 400.
//   - Dismissing needs a reason (a 422, as for the schema's own rules).
//   - A dismissed alert cannot be dismissed again: "Alert is already dismissed.", with the
//     status of Config.AlreadyDismissedStatus (409 or 400: reports differ, GitHub documents
//     neither); Config.AllowRedismiss restores the older behaviour of replacing the reason and
//     comment. On GHES, whose PATCH must carry state, a body that restates the alert's own
//     dismissal (same reason and comment) keeps it: otherwise a dismissed alert's assignees could
//     never change there.
//   - With delegated dismissal, a dismissal must be a request (create_request) with a comment.
//   - Where a repository lists collaborators, only they can be assigned.
//
// Callers hold the lock.
func (e *Emulator) checkAlertChange(st *repoState, a *Alert, ch alertChange) (answer, bool) {
	if ch.state != nil && a.State == alertFixed {
		return errorAnswer(http.StatusBadRequest, msgAlertFixed, docsUpdateAlert), false
	}
	if ch.state != nil && *ch.state == alertDismissed {
		switch {
		case ch.reason == nil:
			return invalidRequestFor(docsUpdateAlert, fmt.Sprintf(
				"dismissed_reason is required when state is \"dismissed\"; it must be one of %s.",
				enumList(patchReasons))), false
		case a.State == alertDismissed && e.isEnterprise() && restatesDismissal(a, ch):
		case a.State == alertDismissed && !e.cfg.AllowRedismiss:
			return errorAnswer(e.cfg.AlreadyDismissedStatus, msgAlertAlreadyDismissed, docsUpdateAlert), false
		case st.repo.DelegatedDismissal && !ch.createRequest:
			return errorAnswer(http.StatusBadRequest, msgDelegatedDismissal, docsUpdateAlert), false
		case st.repo.DelegatedDismissal && ch.comment == nil:
			return errorAnswer(http.StatusBadRequest, msgDismissalCommentInvalid, docsUpdateAlert), false
		}
	}
	if ch.assignees != nil && len(st.repo.Collaborators) > 0 {
		var problems []string
		for _, login := range *ch.assignees {
			if !slices.ContainsFunc(st.repo.Collaborators, func(c string) bool { return sameLogin(c, login) }) {
				problems = append(problems, fmt.Sprintf("For 'assignees', %q cannot be assigned: "+
					"they are not a collaborator on %s/%s.", login, st.repo.Owner, st.repo.Name))
			}
		}
		if len(problems) > 0 {
			return invalidRequestFor(docsUpdateAlert, problems...), false
		}
	}
	return answer{}, true
}

// restatesDismissal reports whether ch dismisses a as it is already dismissed.
func restatesDismissal(a *Alert, ch alertChange) bool {
	return ch.reason != nil && a.DismissedReason != nil && *ch.reason == *a.DismissedReason &&
		stringOf(ch.comment) == stringOf(a.DismissedComment)
}

// stringOf is *p, or "" for nil: GitHub shows an empty comment as none.
func stringOf(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// applyAlertChange makes a checked change to a, by login at now, and reports whether anything
// changed. Reopening clears the dismissal; a dismissal under delegated dismissal only records a
// request and leaves the alert open. Callers hold the lock.
func applyAlertChange(st *repoState, a *Alert, ch alertChange, login string, now time.Time) bool {
	now = now.UTC().Truncate(time.Second)
	changed := false
	switch {
	case ch.state == nil:
	case *ch.state == alertDismissed && a.State == alertDismissed && restatesDismissal(a, ch): // keeps it
	case *ch.state == alertDismissed && st.repo.DelegatedDismissal:
		a.DismissalRequest = &DismissalRequest{
			Reason: *ch.reason, Comment: *ch.comment, RequestedBy: login, RequestedAt: now,
		}
		changed = true
	case *ch.state == alertDismissed:
		a.State = alertDismissed
		a.DismissedBy, a.DismissedAt = ptr(login), ptr(now)
		a.DismissedReason, a.DismissedComment = clonePtr(ch.reason), clonePtr(ch.comment)
		a.DismissalApprovedBy, a.DismissalRequest = nil, nil
		changed = true
	case a.State == alertDismissed: // reopening
		a.State = alertOpen
		a.DismissedBy, a.DismissedAt, a.DismissedReason, a.DismissedComment = nil, nil, nil, nil
		a.DismissalApprovedBy = nil
		changed = true
	}
	if ch.assignees != nil {
		next := uniqueLogins(*ch.assignees)
		if !slices.Equal(next, a.Assignees) {
			a.Assignees = next
			changed = true
		}
	}
	return changed
}

// uniqueLogins drops repeated logins (ignoring case), keeping the first spelling and the order.
func uniqueLogins(logins []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, l := range logins {
		if k := strings.ToLower(l); !seen[k] {
			seen[k] = true
			out = append(out, l)
		}
	}
	return out
}
