package provider

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// What codescanning_alert_dismissal_policy decides, apart from Terraform and GitHub: which alerts
// a policy matches, which dismissals are its own, and, from what GitHub lists and what the state
// remembers, which alerts are pending, dismissed by it, or reopened by a person.
//
// A policy's dismissal is told apart by its comment, which ends with the policy's marker
// "[tf-policy:NAME]". A person's dismissal (any comment without the marker) is never replaced and
// never reopened. An alert the policy dismissed that a person reopened is remembered (reopened),
// and is not dismissed again unless dismiss_reopened says so, when the plan shows it pending.

// policyMarkerPrefix starts every policy's marker; codescanning_alert_dismissal refuses a comment
// with it, so that an alert is never managed by both.
const policyMarkerPrefix = "[tf-policy:"

// policyNamePattern is what a policy name may be: it goes into the marker and the import ID.
var policyNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// policyMarker is the text a policy's dismissal comments end with.
func policyMarker(name string) string { return policyMarkerPrefix + name + "]" }

// policyComment is the dismissal comment a policy sends: its comment, then its marker.
func policyComment(comment, name string) string {
	if comment == "" {
		return policyMarker(name)
	}
	return comment + " " + policyMarker(name)
}

// maxPolicyComment is the longest comment a policy named name may have, GitHub's limit less the
// marker and the space before it.
func maxPolicyComment(name string) int {
	return githubclient.MaxDismissalComment - len([]rune(policyMarker(name))) - 1
}

// dismissedByPolicy reports whether the alert is dismissed with the policy's marker.
func dismissedByPolicy(a *githubclient.Alert, name string) bool {
	return a.State == githubclient.AlertDismissed && a.DismissedComment != nil &&
		strings.HasSuffix(strings.TrimSpace(*a.DismissedComment), policyMarker(name))
}

// policyNameIn is the name of the policy whose marker ends comment, or "".
func policyNameIn(comment *string) string {
	if comment == nil {
		return ""
	}
	text := strings.TrimSpace(*comment)
	i := strings.LastIndex(text, policyMarkerPrefix)
	if i < 0 || !strings.HasSuffix(text, "]") {
		return ""
	}
	name := text[i+len(policyMarkerPrefix) : len(text)-1]
	if !policyNamePattern.MatchString(name) {
		return ""
	}
	return name
}

// ownDismissal reports whether the policy may reopen the alert: dismissed with its marker and
// with its reason. Anything else is a person's decision, or another policy's.
func ownDismissal(a *githubclient.Alert, name, reason string) bool {
	return dismissedByPolicy(a, name) && a.DismissedReason != nil && *a.DismissedReason == reason
}

// policyMatch is what a policy matches. toolName, severity and ref go to GitHub as list filters;
// rule and path globs GitHub has no filter for, so the provider matches them.
type policyMatch struct {
	ruleIDs, paths          []string
	toolName, severity, ref string
}

// any reports whether the policy names anything to match. A policy read back from an import
// does not, and then matches nothing until its configuration is planned.
func (m policyMatch) any() bool {
	return len(m.ruleIDs) > 0 || len(m.paths) > 0 || m.toolName != "" || m.severity != ""
}

// filter is the narrowest list GitHub offers for the policy's alerts in one state.
func (m policyMatch) filter(state string) githubclient.AlertFilter {
	return githubclient.AlertFilter{State: state, ToolName: m.toolName, Severity: m.severity, Ref: m.ref}
}

// matches reports whether a, as listed with filter's narrowing, is one the policy matches. The
// tool is checked again: a policy dismisses, so a list a server did not narrow must not count.
// (The client checks severity itself: AlertList.LeftOut.)
func (m policyMatch) matches(a *githubclient.Alert) bool {
	if !m.any() {
		return false
	}
	if m.toolName != "" && (a.Tool.Name == nil || *a.Tool.Name != m.toolName) {
		return false
	}
	if len(m.ruleIDs) > 0 && !slices.ContainsFunc(m.ruleIDs, func(g string) bool { return a.Rule.ID != nil && matchPathGlob(g, *a.Rule.ID) }) {
		return false
	}
	if len(m.paths) > 0 && !slices.ContainsFunc(m.paths, func(g string) bool { return matchPathGlob(g, a.MostRecentInstance.Location.Path) }) {
		return false
	}
	return true
}

// alertNumbers are alert numbers by repository (owner/name), each list sorted.
type alertNumbers map[string][]int

func (n alertNumbers) add(repo string, number int) {
	if !slices.Contains(n[repo], number) {
		n[repo] = append(n[repo], number)
		slices.Sort(n[repo])
	}
}

func (n alertNumbers) has(repo string, number int) bool { return slices.Contains(n[repo], number) }

func (n alertNumbers) count() int {
	total := 0
	for _, numbers := range n {
		total += len(numbers)
	}
	return total
}

// minus is the numbers of n not in o.
func (n alertNumbers) minus(o alertNumbers) alertNumbers {
	out := alertNumbers{}
	for _, repo := range slices.Sorted(maps.Keys(n)) {
		for _, number := range n[repo] {
			if !o.has(repo, number) {
				out.add(repo, number)
			}
		}
	}
	return out
}

// union is the numbers of n and of o.
func (n alertNumbers) union(o alertNumbers) alertNumbers {
	out := alertNumbers{}
	for _, from := range []alertNumbers{n, o} {
		for repo, numbers := range from {
			for _, number := range numbers {
				out.add(repo, number)
			}
		}
	}
	return out
}

// intersect is the numbers of n also in o.
func (n alertNumbers) intersect(o alertNumbers) alertNumbers {
	out := alertNumbers{}
	for repo, numbers := range n {
		for _, number := range numbers {
			if o.has(repo, number) {
				out.add(repo, number)
			}
		}
	}
	return out
}

// String is "owner/name#1, #2; owner/other#3", for diagnostics.
func (n alertNumbers) String() string {
	var parts []string
	for _, repo := range slices.Sorted(maps.Keys(n)) {
		var numbers []string
		for _, number := range n[repo] {
			numbers = append(numbers, fmt.Sprintf("#%d", number))
		}
		parts = append(parts, repo+" "+strings.Join(numbers, ", "))
	}
	return strings.Join(parts, "; ")
}

// listedAlert is an alert as a list showed it, with the repository it belongs to.
type listedAlert struct {
	repo  string
	alert githubclient.Alert
}

// policyView is what GitHub lists of a policy's scope: its open alerts and its dismissed ones,
// each through the policy's server-side filters.
type policyView struct {
	open, dismissed []listedAlert
}

// policyOutcome is the three sets a policy shows.
type policyOutcome struct {
	pending, dismissed, reopened alertNumbers
}

// policySettings are the parts of a policy that decide its outcome.
type policySettings struct {
	name            string
	match           policyMatch
	dismissReopened bool
}

// evaluate decides what GitHub shows of the policy, from what it lists and what the state
// remembers (prior: the alerts the policy dismissed, and those it knows a person reopened). It
// is a refresh's outcome; planned turns it into a plan's.
//
//   - dismissed: alerts dismissed with the policy's marker, matching or not, so that the state
//     never forgets a dismissal the policy made.
//   - reopened: open alerts the policy matches that it dismissed before (prior), which a person
//     has reopened.
//   - pending: every other open alert the policy matches.
func (s policySettings) evaluate(view policyView, prior policyOutcome) policyOutcome {
	out := policyOutcome{pending: alertNumbers{}, dismissed: alertNumbers{}, reopened: alertNumbers{}}
	for i := range view.dismissed {
		l := &view.dismissed[i]
		if dismissedByPolicy(&l.alert, s.name) {
			out.dismissed.add(l.repo, l.alert.Number)
		}
	}
	for i := range view.open {
		l := &view.open[i]
		if !s.match.matches(&l.alert) {
			continue
		}
		if prior.dismissed.has(l.repo, l.alert.Number) || prior.reopened.has(l.repo, l.alert.Number) {
			out.reopened.add(l.repo, l.alert.Number)
		} else {
			out.pending.add(l.repo, l.alert.Number)
		}
	}
	return out
}

// planned is the plan of a refreshed outcome: with dismiss_reopened the reopened alerts are
// pending too, and dismissed adds the pending ones. It depends on the state alone, so the plan
// Terraform makes again at apply time is the plan made before, whatever GitHub shows by then.
func (o policyOutcome) planned(dismissReopened bool) policyOutcome {
	out := policyOutcome{pending: o.pending.union(nil), dismissed: o.dismissed.union(nil), reopened: o.reopened.union(nil)}
	if dismissReopened {
		out.pending = out.pending.union(out.reopened)
		out.reopened = alertNumbers{}
	}
	out.dismissed = out.dismissed.union(out.pending)
	return out
}

// plannedFrom is the plan of a policy whose matching is new (a create, or a change of what it
// matches), from lists read for it. Dismissals with the marker that the policy no longer matches
// leave dismissed (the apply reopens them). A create holds nothing yet, so its pending includes
// the dismissals with its marker it matches: the plan is the same whether or not they are still
// dismissed when Terraform plans again at apply time (the destroy of a policy it replaces
// reopens them first), and the apply dismisses again those that were reopened.
func (s policySettings) plannedFrom(view policyView, prior policyOutcome, creating bool) policyOutcome {
	out := s.evaluate(view, prior)
	held := alertNumbers{}
	for i := range view.dismissed {
		l := &view.dismissed[i]
		if dismissedByPolicy(&l.alert, s.name) && s.match.matches(&l.alert) {
			held.add(l.repo, l.alert.Number)
		}
	}
	out.dismissed = held
	if creating {
		out.pending = out.pending.union(held)
	}
	return out.planned(s.dismissReopened)
}
