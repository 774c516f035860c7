package githubclient

import (
	"net/http"
	"strings"

	"github.com/codescanning/terraform-provider-codescanning/internal/transport"
)

// What GitHub's refusal means, told apart by what only the client knows (its operation names,
// the words GitHub answers with), so that the provider can say what to do about it in its own
// terms. The client gives no advice: its users' settings and commands are theirs to name.

// RepositoryArchived reports GitHub's refusal to change an archived repository.
func (e *APIError) RepositoryArchived() bool {
	return e.StatusCode == http.StatusForbidden && strings.Contains(e.lowerMessage(), "archived")
}

// AdvancedSecurityOff reports GitHub's refusal because the repository has GitHub Advanced
// Security (GitHub Code Security) turned off.
func (e *APIError) AdvancedSecurityOff() bool {
	msg := e.lowerMessage()
	return e.StatusCode == http.StatusForbidden && (strings.Contains(msg, "advanced security") || strings.Contains(msg, "code security"))
}

// RateLimited reports GitHub's answer that a rate limit was reached (one the transport did not
// wait out; a wait it gave up is a *RateLimitError in Err).
func (e *APIError) RateLimited() bool {
	return (e.StatusCode == http.StatusForbidden || e.StatusCode == http.StatusTooManyRequests) && strings.Contains(e.lowerMessage(), "rate limit")
}

// ValidationInProgress reports GitHub's 409 to a default setup change while another change of
// the repository's code scanning is being validated.
func (e *APIError) ValidationInProgress() bool {
	return e.StatusCode == http.StatusConflict && strings.Contains(e.Op, "default setup")
}

// Conflict reports GitHub's 409 to a change the object's present state does not allow (an
// alert's, a configuration's) other than ValidationInProgress.
func (e *APIError) Conflict() bool {
	return e.StatusCode == http.StatusConflict && !e.ValidationInProgress()
}

// APIVersionUnsupported reports a server's refusal of the X-GitHub-Api-Version asked for.
func (e *APIError) APIVersionUnsupported() bool {
	return e.StatusCode == http.StatusBadRequest && strings.Contains(e.lowerMessage(), "x-github-api-version")
}

// ThreatModelUnsupported reports GitHub Enterprise Server's refusal of a default setup's
// threat_model, which releases up to 3.17 do not know.
func (e *APIError) ThreatModelUnsupported() bool {
	return e.StatusCode == http.StatusUnprocessableEntity && e.ServerVersion != "" && strings.Contains(e.lowerMessage(), "threat_model")
}

// ConfigurationRequest reports whether the refused request was about a code security
// configuration, whose permissions are the organization's, not the repository's.
func (e *APIError) ConfigurationRequest() bool { return strings.Contains(e.Op, opConfiguration) }

// OrganizationAlertList reports whether the refused request listed an organization's alerts,
// which GitHub shows only to an owner or security manager of it.
func (e *APIError) OrganizationAlertList() bool {
	return strings.HasPrefix(e.Op, opListOrganizationAlerts)
}

func (e *APIError) lowerMessage() string { return strings.ToLower(e.Message) }

// UnreachableCause says why the API host could not be reached; see transport.UnreachableCause.
type UnreachableCause = transport.UnreachableCause

// The causes Unreachable tells apart.
const (
	NotUnreachable    = transport.NotUnreachable
	UnreachableName   = transport.UnreachableName
	UnreachableTLS    = transport.UnreachableTLS
	UnreachableListen = transport.UnreachableListen
)

// Unreachable says whether err is a failure to reach the API host rather than of one request:
// NotUnreachable when it is not.
func Unreachable(err error) UnreachableCause { return transport.Unreachable(err) }
