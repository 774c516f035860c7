package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// A dismissal is a person's decision. When the alert a configuration declares is already
// dismissed by someone, Terraform adopts their dismissal if it says what the configuration says
// (the reason, and the comment where the configuration sets one), with no request, and otherwise
// refuses to replace it, naming who dismissed it, when and why, and how to import it. Destroy
// reopens only a dismissal Terraform made: the private state records which it is.

// privateKeyDismissal is the private state key holding the dismissalRecord.
const privateKeyDismissal = "dismissal"

// dismissalRecord is what the private state keeps about the dismissal a resource manages.
type dismissalRecord struct {
	// MadeByTerraform is true when Terraform dismissed the alert (or asked for its dismissal),
	// false when it adopted or imported a dismissal someone else made.
	MadeByTerraform bool `json:"made_by_terraform"`
	// RequestedAt is when Terraform asked for the dismissal with create_request (RFC 3339).
	RequestedAt string `json:"requested_at,omitempty"`
}

// readDismissalRecord reads the record. A resource without one was created by a release that
// always dismissed (or overwrote) the alert itself, so Terraform made its dismissal.
func readDismissalRecord(ctx context.Context, private privateStateReader) (dismissalRecord, diag.Diagnostics) {
	raw, diags := private.GetKey(ctx, privateKeyDismissal)
	record := dismissalRecord{MadeByTerraform: true}
	if len(raw) == 0 {
		return record, diags
	}
	if err := json.Unmarshal(raw, &record); err != nil {
		diags.AddWarning("Unreadable private state of a code scanning alert dismissal",
			fmt.Sprintf("The record of who made the dismissal could not be read (%v); it is taken to be Terraform's.", err))
		return dismissalRecord{MadeByTerraform: true}, diags
	}
	return record, diags
}

func writeDismissalRecord(ctx context.Context, private privateState, record dismissalRecord) diag.Diagnostics {
	return setPrivateJSON(ctx, private, privateKeyDismissal, "the code scanning alert dismissal", record)
}

// holdsDismissal reports whether GitHub's alert is dismissed as plan declares: the same reason,
// and the same comment where plan sets one.
func holdsDismissal(alert *githubclient.Alert, plan alertDismissalModel) bool {
	if alert.State != githubclient.AlertDismissed || alert.DismissedReason == nil || *alert.DismissedReason != plan.Reason.ValueString() {
		return false
	}
	if plan.Comment.IsNull() || plan.Comment.IsUnknown() {
		return true
	}
	return alert.DismissedComment != nil && *alert.DismissedComment == plan.Comment.ValueString()
}

// dismissalConflict is an alert someone dismissed otherwise than the configuration declares.
type dismissalConflict struct {
	alert  *githubclient.Alert
	policy string // the codescanning_alert_dismissal_policy whose dismissal it is, if one's
}

func (c *dismissalConflict) Error() string {
	return fmt.Sprintf("alert %d is already dismissed as %q", c.alert.Number, derefString(c.alert.DismissedReason))
}

// describeDismissal says who dismissed an alert, when and why, as a sentence.
func describeDismissal(alert *githubclient.Alert) string {
	who := "Someone"
	if alert.DismissedBy != nil && alert.DismissedBy.Login != "" {
		who = alert.DismissedBy.Login
	}
	when := "at a time GitHub does not show"
	if alert.DismissedAt != nil {
		when = "on " + alert.DismissedAt.UTC().Format(time.RFC3339)
	}
	why := fmt.Sprintf("as %q", derefString(alert.DismissedReason))
	if alert.DismissedComment != nil && *alert.DismissedComment != "" {
		why += fmt.Sprintf(" with the comment %q", *alert.DismissedComment)
	} else {
		why += " with no comment"
	}
	return fmt.Sprintf("%s dismissed it %s %s", who, when, why)
}

// addConflictError reports an alert dismissed otherwise than declared. A create says how to
// import the dismissal; an update, whose alert was dismissed after the plan was made, says to
// plan again, so that replacing the dismissal is a change the plan shows.
func addConflictError(diags *diag.Diagnostics, repo githubclient.Repository, conflict *dismissalConflict, creating bool) {
	alert := conflict.alert
	id := alertID(repo, alert.Number)
	summary := fmt.Sprintf("Code scanning alert %d of %s is already dismissed", alert.Number, repo)
	if conflict.policy != "" {
		diags.AddError(summary+" by the dismissal policy "+strconv.Quote(conflict.policy),
			fmt.Sprintf("%s. An alert is managed by a codescanning_alert_dismissal_policy or by a codescanning_alert_dismissal, not both. "+
				"Remove this resource and let the policy keep the alert dismissed, or narrow the policy (rule_ids, paths) so that it no longer matches the alert: "+
				"once an apply has narrowed it, which reopens the alert, this resource can dismiss it.", describeDismissal(alert)))
		return
	}
	if creating {
		declare := fmt.Sprintf("reason = %q", derefString(alert.DismissedReason))
		if alert.DismissedComment != nil && *alert.DismissedComment != "" {
			declare += fmt.Sprintf(", comment = %q", *alert.DismissedComment)
		}
		diags.AddError(summary, fmt.Sprintf("%s. Terraform does not replace a dismissal someone else made.\n\n"+
			"To manage it, import it and declare what it says (%s):\n\n"+
			"  terraform import <resource address> %s\n\n"+
			"or add an import block with id = %q. Once imported, a different reason or comment in the configuration "+
			"is a change the plan shows, and applying it replaces the dismissal.", describeDismissal(alert), declare, id, id))
		return
	}
	diags.AddError(summary, fmt.Sprintf("%s, after this plan was made. Terraform did not replace it. "+
		"Run terraform plan again: it shows the change from that dismissal to the configured one, to apply if you mean to replace it.", describeDismissal(alert)))
}

func derefString(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// What a dismissal request's alert lets the provider know (request_status).
const (
	requestPending   = "pending"
	requestApproved  = "approved"
	requestDismissed = "dismissed"
)

// requestStatus is request_status for an alert a dismissal request was made for: GitHub shows a
// request only through its outcome, an approval (the alert dismissed, dismissal_approved_by
// set). An open alert may have a request waiting, denied or expired: all are pending here.
func requestStatus(requested bool, alert *githubclient.Alert) types.String {
	switch {
	case !requested || alert.State == githubclient.AlertFixed:
		return types.StringNull()
	case alert.State == githubclient.AlertOpen:
		return types.StringValue(requestPending)
	case alert.DismissalApprovedBy != nil:
		return types.StringValue(requestApproved)
	}
	return types.StringValue(requestDismissed)
}

// addPendingRequestWarning tells, at every refresh, that a dismissal request is not approved, so
// that one a reviewer denied, or that expired, never looks satisfied.
func addPendingRequestWarning(diags *diag.Diagnostics, repo githubclient.Repository, number int, record dismissalRecord) {
	asked := "Terraform asked for its dismissal"
	if record.RequestedAt != "" {
		asked += " on " + record.RequestedAt
	}
	diags.AddWarning(fmt.Sprintf("Dismissal request for code scanning alert %d of %s is not approved", number, repo),
		asked+"; the alert stays open until a reviewer approves the request. GitHub's API shows neither a request waiting "+
			"for review nor one that was denied or expired, so Terraform cannot tell them apart. If the request was denied "+
			"or has expired, ask again with terraform apply -replace=<resource address>, or remove the resource.")
}
