package provider

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// An alert is managed by a codescanning_alert_dismissal_policy or by a codescanning_alert_dismissal,
// never both: two managers would undo each other's dismissals, and destroying either would reopen
// an alert the other still declares dismissed. A policy's dismissal ends its comment with the
// policy's marker, so the plan of a dismissal tells one from GitHub's alert:
//   - a create (or a replacement, which dismisses another alert) reads the alert once;
//   - an existing resource costs no request: its refresh records GitHub's dismissal comment in
//     the state's comment, which the plan reads.
//
// Two resources created in the same apply cannot see each other at plan: the second to reach
// GitHub fails at apply, naming the first (adopt, and the policy's refusal of others' dismissals).

// checkPlannedPolicyOverlap fails the plan of a dismissal whose alert a policy dismissed. prior
// is the state, nil on create. A failed read is left to apply, which reads the alert again and
// reports the failure with the request's URL.
func (r *alertDismissalResource) checkPlannedPolicyOverlap(ctx context.Context, plan alertDismissalModel, prior *alertDismissalModel, diags *diag.Diagnostics) {
	if r.data == nil || r.data.client == nil || plan.Repository.IsUnknown() || plan.AlertNumber.IsUnknown() {
		return
	}
	repo, err := githubclient.ParseRepository(plan.Repository.ValueString(), r.data.owner)
	if err != nil {
		return // checkPlannedRepository has said so, on the attribute
	}
	number := int(plan.AlertNumber.ValueInt64())
	if prior != nil && plan.Repository.Equal(prior.Repository) && plan.AlertNumber.Equal(prior.AlertNumber) {
		if prior.State.ValueString() == githubclient.AlertDismissed {
			if policy := policyNameIn(prior.Comment.ValueStringPointer()); policy != "" {
				addPolicyOverlapError(diags, repo, number, policy, fmt.Sprintf("GitHub showed it at refresh dismissed by %s with the comment %q, which ends with the policy's marker",
					orSomeone(prior.DismissedBy.ValueString()), prior.Comment.ValueString()), false)
			}
		}
		return
	}
	alert, err := r.data.client.GetAlert(ctx, repo, number)
	if err != nil {
		tflog.Debug(ctx, "cannot read the alert to plan its dismissal; apply reads it again", map[string]any{"repository": repo.String(), "alert_number": number, "error": err.Error()})
		return
	}
	if alert.State != githubclient.AlertDismissed {
		return
	}
	if policy := policyNameIn(alert.DismissedComment); policy != "" {
		addPolicyOverlapError(diags, repo, number, policy, describeDismissal(alert), true)
	}
}

// addPolicyOverlapError reports, on alert_number, an alert the policy named dismissed, with the
// two ways out.
func addPolicyOverlapError(diags *diag.Diagnostics, repo githubclient.Repository, number int, policy, dismissal string, creating bool) {
	remove := "Remove this codescanning_alert_dismissal and let the policy keep the alert dismissed"
	if !creating {
		remove += " (removing it from the configuration leaves the policy's dismissal as it is)"
	}
	diags.AddAttributeError(path.Root("alert_number"),
		fmt.Sprintf("Code scanning alert %d of %s is managed by the dismissal policy %s", number, repo, strconv.Quote(policy)),
		fmt.Sprintf("%s. An alert is managed by a codescanning_alert_dismissal_policy or by a codescanning_alert_dismissal, not both. "+
			"%s, or remove the alert from the policy's match (rule_ids, tool_name, severity, paths or ref of the policy %s) and apply that first: "+
			"narrowing the policy reopens the alert, and this resource can then dismiss it.", dismissal, remove, strconv.Quote(policy)))
}

// orSomeone is a login, or "someone" where GitHub shows none.
func orSomeone(login string) string {
	if login == "" {
		return "someone"
	}
	return login
}
