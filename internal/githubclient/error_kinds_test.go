package githubclient

import (
	"testing"
)

// Each predicate tells its refusal apart from the refusals that look like it: the same status
// with other words, or the same words under another status or operation.
func TestRefusalsAreToldApart(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		err      *APIError
		is, isNt func(*APIError) bool
	}{
		{"archived", &APIError{Op: "update default setup", StatusCode: 403, Message: "Repository was archived so is read-only."},
			(*APIError).RepositoryArchived, (*APIError).AdvancedSecurityOff},
		{"archived needs a 403", &APIError{Op: "update default setup", StatusCode: 422, Message: "archived"},
			func(e *APIError) bool { return !e.RepositoryArchived() }, (*APIError).RepositoryArchived},
		{"advanced security off", &APIError{Op: "read default setup", StatusCode: 403, Message: "Advanced Security must be enabled"},
			(*APIError).AdvancedSecurityOff, (*APIError).RepositoryArchived},
		{"code security off", &APIError{Op: "read default setup", StatusCode: 403, Message: "Code Security must be enabled"},
			(*APIError).AdvancedSecurityOff, (*APIError).RateLimited},
		{"rate limited 429", &APIError{Op: "read default setup", StatusCode: 429, Message: "You have exceeded a secondary rate limit"},
			(*APIError).RateLimited, (*APIError).AdvancedSecurityOff},
		{"rate limit words in a 422", &APIError{Op: "read default setup", StatusCode: 422, Message: "rate limit"},
			func(e *APIError) bool { return !e.RateLimited() }, (*APIError).RateLimited},
		{"validation in progress", &APIError{Op: "update default setup", StatusCode: 409, Message: "already in progress"},
			(*APIError).ValidationInProgress, (*APIError).Conflict},
		{"alert conflict", &APIError{Op: "update code scanning alert 3", StatusCode: 409, Message: "Cannot reopen"},
			(*APIError).Conflict, (*APIError).ValidationInProgress},
		{"API version", &APIError{Op: "read default setup", StatusCode: 400, Message: "Unsupported 'X-GitHub-Api-Version' header"},
			(*APIError).APIVersionUnsupported, (*APIError).ThreatModelUnsupported},
		{"threat model on GHES", &APIError{Op: "update default setup", StatusCode: 422, Message: "threat_model is not a permitted key", ServerVersion: "3.17.2"},
			(*APIError).ThreatModelUnsupported, (*APIError).APIVersionUnsupported},
		{"threat model on github.com", &APIError{Op: "update default setup", StatusCode: 422, Message: "threat_model is not valid"},
			func(e *APIError) bool { return !e.ThreatModelUnsupported() }, (*APIError).ThreatModelUnsupported},
		{"configuration", &APIError{Op: "update " + opConfiguration + " 17 of organization octo-org", StatusCode: 404},
			(*APIError).ConfigurationRequest, (*APIError).OrganizationAlertList},
		{"organization alerts", &APIError{Op: opListOrganizationAlerts + " octo-org", StatusCode: 404},
			(*APIError).OrganizationAlertList, (*APIError).ConfigurationRequest},
	} {
		if !tc.is(tc.err) {
			t.Errorf("%s: %v is not told apart", tc.name, tc.err)
		}
		if tc.isNt(tc.err) {
			t.Errorf("%s: %v is taken for another refusal", tc.name, tc.err)
		}
	}
}
