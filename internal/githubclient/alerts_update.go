package githubclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/codescanning/terraform-provider-codescanning/internal/transport"
)

// AlertUpdate is the body of an alert PATCH. Assignees, when not nil, replaces the list.
type AlertUpdate struct {
	State            string    `json:"state,omitempty"`
	DismissedReason  *string   `json:"dismissed_reason,omitempty"`
	DismissedComment *string   `json:"dismissed_comment,omitempty"`
	CreateRequest    *bool     `json:"create_request,omitempty"`
	Assignees        *[]string `json:"assignees,omitempty"`
}

// UpdateAlert changes an alert's state, dismissal or assignees. A dismissal request
// (CreateRequest) is refused with *UnavailableError, unsent, on a GHES release without them.
//
// GitHub Enterprise Server requires state in every alert PATCH (its descriptions of 3.17 and 3.19
// list it as required; github.com's need state or assignees), so on GHES an update of assignees
// alone restates the alert's state, and its dismissal, as GitHub holds them.
//
// An alert PATCH is not sent again blindly when its answer was lost (a connection error, or a
// 500, 502, 503 or 504, which may come after GitHub carried it out): the alert is read, and the
// PATCH is sent again only if GitHub does not show it done. A dismissal request whose answer
// was lost and that a reviewer approved meanwhile is therefore never followed by a second
// dismissal, which GitHub would refuse as already dismissed.
func (c *Client) UpdateAlert(ctx context.Context, repo Repository, number int, update AlertUpdate) (*Alert, error) {
	if update.CreateRequest != nil && *update.CreateRequest {
		if err := c.checkDismissalRequests(ctx, fmt.Sprintf("request dismissal of code scanning alert %d", number), repo, number); err != nil {
			return nil, err
		}
	}
	if update.State == "" && (c.enterprise || c.ServerVersion() != "") {
		if err := c.restateAlert(ctx, repo, number, &update); err != nil {
			return nil, err
		}
	}
	alert, err := c.sendAlertUpdate(ctx, repo, number, update)
	if update.State == "" && isStateRequired(err) {
		// A GHES the base URL did not reveal (behind a proxy's path), before any answer said so.
		if restateErr := c.restateAlert(ctx, repo, number, &update); restateErr != nil {
			return nil, err
		}
		alert, err = c.sendAlertUpdate(ctx, repo, number, update)
	}
	return alert, err
}

// restateAlert sets update's state, and for a dismissed alert its reason and comment, to what
// GitHub holds. A fixed alert is left without: no state a PATCH may send describes it.
func (c *Client) restateAlert(ctx context.Context, repo Repository, number int, update *AlertUpdate) error {
	current, err := c.GetAlert(ctx, repo, number)
	if err != nil {
		return err
	}
	switch current.State {
	case AlertOpen:
		update.State = AlertOpen
	case AlertDismissed:
		update.State, update.DismissedReason, update.DismissedComment = AlertDismissed, current.DismissedReason, current.DismissedComment
	}
	return nil
}

// isStateRequired reports whether err is a server's refusal of a PATCH without state.
func isStateRequired(err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnprocessableEntity {
		return false
	}
	msg := strings.ToLower(apiErr.Message)
	return strings.Contains(msg, `"state"`) && (strings.Contains(msg, "supplied") || strings.Contains(msg, "required"))
}

// sendAlertUpdate sends the PATCH, and after a lost answer reads the alert to decide whether to
// send it again, within the retry policy's attempts and the context.
func (c *Client) sendAlertUpdate(ctx context.Context, repo Repository, number int, update AlertUpdate) (*Alert, error) {
	op := fmt.Sprintf("update code scanning alert %d", number)
	for attempt := 1; ; attempt++ {
		req, err := c.newRequest(http.MethodPatch, repo.path(fmt.Sprintf("/code-scanning/alerts/%d", number)), update)
		if err != nil {
			return nil, err
		}
		var alert Alert
		err = c.do(ctx, op, repo, req, &alert)
		if err == nil {
			return &alert, nil
		}
		if !answerLost(err) || ctx.Err() != nil {
			return nil, err
		}
		current, getErr := c.GetAlert(ctx, repo, number)
		if getErr != nil {
			return nil, err
		}
		fields := map[string]any{"repository": repo.String(), "alert_number": number, "attempt": attempt, "error": err.Error()}
		if !update.worthResending(current) {
			c.log(ctx, "the answer to an alert update was lost; GitHub shows the alert as the update leaves it, so it is not sent again", fields)
			return current, nil
		}
		if attempt >= c.retry.MaxAttempts {
			return nil, err
		}
		delay := c.retry.Backoff.Delay(attempt - 1)
		fields["delay"] = delay.String()
		c.log(ctx, "the answer to an alert update was lost and GitHub does not show it done; sending it again", fields)
		if err := c.clock.Sleep(ctx, delay); err != nil {
			return nil, err
		}
	}
}

// answerLost reports whether a request may have been carried out though its answer never came:
// a connection error that may pass, or a 500, 502, 503 or 504.
func answerLost(err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	if apiErr.StatusCode == 0 {
		return apiErr.Err != nil && transport.Transient(apiErr.Err)
	}
	return transport.RetriableStatus(apiErr.StatusCode)
}

// worthResending reports whether GitHub's alert a does not show what u asks for, and sending u
// again could make it so. A dismissed alert is never dismissed again (GitHub refuses it; the
// caller compares the dismissal with its own), nor a fixed one changed; an open alert after a
// dismissal request may or may not have the request, which GitHub does not show, so it is asked
// again.
func (u AlertUpdate) worthResending(a *Alert) bool {
	switch {
	case u.State == AlertDismissed && a.State == AlertOpen, u.State == AlertOpen && a.State == AlertDismissed:
		return true
	case u.Assignees == nil, u.State != "" && u.State != a.State:
		return false
	case u.State == AlertDismissed && (u.DismissedReason == nil || a.DismissedReason == nil || *u.DismissedReason != *a.DismissedReason):
		return false // someone else's dismissal: a restatement of it would be a new dismissal
	}
	return !sameUsers(*u.Assignees, a.Assignees)
}

// sameUsers reports whether logins are exactly the users, ignoring order and case as GitHub does.
func sameUsers(logins []string, users []User) bool {
	if len(logins) != len(users) {
		return false
	}
	for _, u := range users {
		found := false
		for _, l := range logins {
			found = found || strings.EqualFold(l, u.Login)
		}
		if !found {
			return false
		}
	}
	return true
}
