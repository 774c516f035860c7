package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// The changes a dismissal policy makes on GitHub, one alert at a time through the client, whose
// transport paces writes. Whatever fails or is found changed since the plan, the state records
// what GitHub holds: an alert dismissed is in dismissed, one not dismissed is not.

// apply makes GitHub hold the planned policy: it reopens the alerts leaving it (still dismissed
// by it), dismisses anew those it holds when the reason or comment changed, and dismisses the
// pending ones.
func (r *alertDismissalPolicyResource) apply(ctx context.Context, plan alertDismissalPolicyModel, prior *alertDismissalPolicyModel, state stateSetter, diags *diag.Diagnostics) {
	scope, ok := resolvePolicyScope(ctx, r.data, plan.Repository, plan.Organization, diags)
	planned, d := plan.outcome(ctx)
	diags.Append(d...)
	if !ok || diags.HasError() {
		return
	}
	if plan.Pending.IsUnknown() {
		// A new or changed match: what it dismisses is what GitHub shows now.
		if planned, ok = r.plannedAtApply(ctx, scope, plan, prior, diags); !ok {
			return
		}
	}
	name := plan.Name.ValueString()
	w := policyWork{r: r, scope: scope, name: name, reason: plan.Reason.ValueString(), comment: policyComment(plan.Comment.ValueString(), name), diags: diags}
	held := alertNumbers{}
	if prior != nil {
		before, d := prior.outcome(ctx)
		diags.Append(d...)
		held = before.dismissed
		for repo, number := range each(held.minus(planned.dismissed)) {
			w.reopen(ctx, repo, number, prior.Name.ValueString(), prior.Reason.ValueString())
		}
		if !plan.Reason.Equal(prior.Reason) || !plan.Comment.Equal(prior.Comment) || !plan.Name.Equal(prior.Name) {
			for repo, number := range each(held.intersect(planned.dismissed)) {
				w.redismiss(ctx, repo, number, prior.Name.ValueString(), prior.Reason.ValueString())
			}
		}
	}
	// A plan without refresh, right after an apply, still shows what that apply dismissed as
	// pending: the state says the policy holds them.
	for repo, number := range each(planned.pending.minus(held)) {
		w.dismiss(ctx, repo, number)
	}

	// What the policy holds now: what it held and planned to keep, less what it could not keep,
	// and what it dismissed; what it could not reopen stays.
	result := plan
	result.ID = types.StringValue(policyID(scope, name))
	now := held.intersect(planned.dismissed).minus(w.lost)
	for repo, number := range each(w.dismissed) {
		now.add(repo, number)
	}
	for repo, number := range each(w.kept) {
		now.add(repo, number)
	}
	outcome := planned
	outcome.dismissed = now
	if w.failed {
		// The state says what is left to do; without a failure it must say what the plan said.
		outcome.pending = planned.pending.minus(now)
	}
	result.setOutcome(outcome)
	w.report()
	diags.Append(state.Set(ctx, &result)...)
}

// plannedAtApply lists the scope's alerts for a policy whose plan left them to the apply.
func (r *alertDismissalPolicyResource) plannedAtApply(ctx context.Context, scope policyScope, plan alertDismissalPolicyModel, prior *alertDismissalPolicyModel, diags *diag.Diagnostics) (policyOutcome, bool) {
	settings, d := plan.settings(ctx)
	diags.Append(d...)
	before := policyOutcome{}
	if prior != nil {
		before, d = prior.outcome(ctx)
		diags.Append(d...)
	}
	if diags.HasError() {
		return policyOutcome{}, false
	}
	view, err := scope.view(ctx, r.data.client, settings.match, true)
	if err != nil {
		addClientError(diags, fmt.Sprintf("Cannot list the code scanning alerts of %s for the dismissal policy %q", scope, settings.name), err)
		return policyOutcome{}, false
	}
	return settings.plannedFrom(view, before, prior == nil), true
}

// each iterates over n's numbers by repository, in order.
func each(n alertNumbers) func(yield func(string, int) bool) {
	return func(yield func(string, int) bool) {
		for _, repo := range slices.Sorted(maps.Keys(n)) {
			for _, number := range n[repo] {
				if !yield(repo, number) {
					return
				}
			}
		}
	}
}

// policyWork carries one apply's or destroy's changes and what became of them.
type policyWork struct {
	r                     *alertDismissalPolicyResource
	scope                 policyScope
	name, reason, comment string
	diags                 *diag.Diagnostics

	dismissed alertNumbers // dismissed by this apply
	kept      alertNumbers // not reopened: an error, or no longer the policy's to reopen
	lost      alertNumbers // held before, no longer the policy's (a person's decision, fixed, or gone)
	others    []string     // alerts left to a person's decision, for one warning
	conflicts []string     // pending alerts found changed since the plan, for one error
	failed    bool         // an error stopped a change
}

func (w *policyWork) note(set *alertNumbers, repo string, number int) {
	if *set == nil {
		*set = alertNumbers{}
	}
	set.add(repo, number)
}

// repository resolves a listed repository, failing the work if it cannot be.
func (w *policyWork) repository(repo string) (githubclient.Repository, bool) {
	r, err := w.scope.repository(repo)
	if err != nil {
		w.fail(fmt.Sprintf("Cannot read the repository %q", repo), err)
		return r, false
	}
	return r, true
}

// begin is how each change to one alert starts: none once one failed or the apply was
// interrupted (which then counts as failed), else the alert's repository resolved.
func (w *policyWork) begin(ctx context.Context, repo string) (githubclient.Repository, bool) {
	if w.failed || ctx.Err() != nil {
		w.failed = true
		return githubclient.Repository{}, false
	}
	return w.repository(repo)
}

func (w *policyWork) fail(summary string, err error) {
	w.failed = true
	addClientError(w.diags, summary, err)
}

// dismiss dismisses a pending alert. An alert someone dismissed since the plan is left as they
// dismissed it, unless it carries the policy's marker.
func (w *policyWork) dismiss(ctx context.Context, repo string, number int) {
	gh, ok := w.begin(ctx, repo)
	if !ok {
		return
	}
	reason, comment := w.reason, w.comment
	tflog.Info(ctx, "dismissing code scanning alert by policy", map[string]any{"repository": repo, "alert_number": number, "policy": w.name})
	alert, err := w.r.data.client.UpdateAlert(ctx, gh, number, githubclient.AlertUpdate{State: githubclient.AlertDismissed, DismissedReason: &reason, DismissedComment: &comment})
	if err != nil && refusedForTheAlert(err) {
		// Dismissed or fixed since the plan (GitHub documents neither answer): what GitHub
		// holds now decides, and one alert does not stop the others.
		if current, getErr := w.r.data.client.GetAlert(ctx, gh, number); getErr == nil && current.State != githubclient.AlertOpen {
			alert, err = current, nil
		}
	}
	switch {
	case err != nil:
		w.fail(fmt.Sprintf("Cannot dismiss code scanning alert %d of %s by the policy %q", number, repo, w.name), err)
	case dismissedByPolicy(alert, w.name):
		w.note(&w.dismissed, repo, number)
	case alert.State == githubclient.AlertDismissed:
		w.conflicts = append(w.conflicts, fmt.Sprintf("%s #%d: %s", repo, number, describeDismissal(alert)))
	default:
		w.conflicts = append(w.conflicts, fmt.Sprintf("%s #%d is %s", repo, number, alert.State))
	}
}

// refusedForTheAlert reports whether err is GitHub refusing the change for what the alert is
// (a 400 or 409), rather than for the request, the token or the network.
func refusedForTheAlert(err error) bool {
	var apiErr *githubclient.APIError
	return errors.As(err, &apiErr) && (apiErr.StatusCode == http.StatusBadRequest || apiErr.StatusCode == http.StatusConflict)
}

// reopen reopens an alert the policy no longer matches, if it is still its own dismissal (the
// marker of name, and reason); otherwise it is a person's decision, and stays.
func (w *policyWork) reopen(ctx context.Context, repo string, number int, name, reason string) {
	gh, ok := w.begin(ctx, repo)
	if !ok {
		w.note(&w.kept, repo, number)
		return
	}
	alert, err := w.r.data.client.GetAlert(ctx, gh, number)
	switch {
	case githubclient.IsNotFound(err):
		return
	case err != nil:
		w.fail(fmt.Sprintf("Cannot read code scanning alert %d of %s", number, repo), err)
		w.note(&w.kept, repo, number)
		return
	case !ownDismissal(alert, name, reason):
		if alert.State == githubclient.AlertDismissed {
			w.others = append(w.others, fmt.Sprintf("%s #%d: %s", repo, number, describeDismissal(alert)))
		}
		return
	}
	tflog.Info(ctx, "reopening code scanning alert the policy dismissed", map[string]any{"repository": repo, "alert_number": number, "policy": w.name})
	if _, err := w.r.data.client.UpdateAlert(ctx, gh, number, githubclient.AlertUpdate{State: githubclient.AlertOpen}); err != nil {
		w.fail(fmt.Sprintf("Cannot reopen code scanning alert %d of %s", number, repo), err)
		w.note(&w.kept, repo, number)
	}
}

// redismiss dismisses an alert the policy holds again, with the new reason and comment: GitHub
// refuses to dismiss a dismissed alert, so it is reopened first. One that is no longer the
// policy's own is left.
func (w *policyWork) redismiss(ctx context.Context, repo string, number int, oldName, oldReason string) {
	gh, ok := w.begin(ctx, repo)
	if !ok {
		return
	}
	alert, err := w.r.data.client.GetAlert(ctx, gh, number)
	switch {
	case githubclient.IsNotFound(err):
		w.note(&w.lost, repo, number)
		return
	case err != nil:
		w.fail(fmt.Sprintf("Cannot read code scanning alert %d of %s", number, repo), err)
		return
	case !ownDismissal(alert, oldName, oldReason):
		w.note(&w.lost, repo, number)
		if alert.State == githubclient.AlertDismissed {
			w.others = append(w.others, fmt.Sprintf("%s #%d: %s", repo, number, describeDismissal(alert)))
		}
		return
	}
	if _, err := w.r.data.client.UpdateAlert(ctx, gh, number, githubclient.AlertUpdate{State: githubclient.AlertOpen}); err != nil {
		w.fail(fmt.Sprintf("Cannot reopen code scanning alert %d of %s to dismiss it with the new reason and comment", number, repo), err)
		return
	}
	w.note(&w.lost, repo, number) // open now, until dismissed again
	w.dismiss(ctx, repo, number)
}

// report adds one warning for the alerts left to a person's decision and one error for the
// pending alerts found changed since the plan.
func (w *policyWork) report() {
	if len(w.others) > 0 {
		w.diags.AddWarning(fmt.Sprintf("%d code scanning alerts stay dismissed by someone else's decision", len(w.others)),
			fmt.Sprintf("The policy %q dismissed them, but they no longer carry its dismissal (its marker and its reason), so it leaves them as they are:\n  %s",
				w.name, joinLimited(w.others, 20)))
	}
	if len(w.conflicts) > 0 {
		w.diags.AddError(fmt.Sprintf("%d code scanning alerts changed after the plan and were not dismissed by the policy %q", len(w.conflicts), w.name),
			"The policy does not replace a dismissal someone else made. Run terraform plan again: it shows what the policy matches now.\n  "+joinLimited(w.conflicts, 20))
	}
}

// joinLimited joins lines, at most limit of them and a count of the rest.
func joinLimited(lines []string, limit int) string {
	if len(lines) <= limit {
		return joinLines(lines)
	}
	return joinLines(lines[:limit]) + fmt.Sprintf("\n  ... and %d more", len(lines)-limit)
}

func joinLines(lines []string) string { return strings.Join(lines, "\n  ") }

// Delete reopens the alerts the policy dismissed that are still dismissed by it; a person's
// dismissal of an alert the policy matches stays.
func (r *alertDismissalPolicyResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state alertDismissalPolicyModel
	scope, ok := r.stateScope(ctx, req.State, &state, &resp.Diagnostics)
	if !ok {
		return
	}
	held, d := state.outcome(ctx)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	w := policyWork{r: r, scope: scope, name: state.Name.ValueString(), reason: state.Reason.ValueString(), diags: &resp.Diagnostics}
	for repo, number := range each(held.dismissed) {
		w.reopen(ctx, repo, number, w.name, w.reason)
	}
	w.report()
}
