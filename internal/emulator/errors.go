package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// GitHub's wording, kept in one place so tests and handlers agree on it.
const (
	msgNotFound               = "Not Found"
	msgRequiresAuthentication = "Requires authentication"
	msgBadCredentials         = "Bad credentials"
	msgProblemsParsingJSON    = "Problems parsing JSON"
	msgArchived               = "Repository was archived so is read-only."
	// GitHub's documentation names the condition ("GitHub Advanced Security is not enabled for
	// this repository") but not the message; this is the one github.com has been seen to send.
	msgAdvancedSecurityDisabled = "Advanced Security must be enabled for this repository to use code scanning."
	msgRunInProgress            = "Code scanning default setup is already being updated. " +
		"A validation run is in progress."
	msgRateLimitExceeded = "API rate limit exceeded for user ID 1."
)

// documentation_url values, one per operation, as GitHub links each error to its own page.
const (
	docsREST            = "https://docs.github.com/rest"
	docsRateLimit       = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
	docsGetRepository   = "https://docs.github.com/rest/repos/repos#get-a-repository"
	docsGetDefaultSetup = "https://docs.github.com/rest/code-scanning/code-scanning" +
		"#get-a-code-scanning-default-setup-configuration"
	docsUpdateDefaultSetup = "https://docs.github.com/rest/code-scanning/code-scanning" +
		"#update-a-code-scanning-default-setup-configuration"
	docsGetWorkflowRun = "https://docs.github.com/rest/actions/workflow-runs#get-a-workflow-run"
)

// basicError is GitHub's "Basic Error" schema. Status is a string, as GitHub sends it.
type basicError struct {
	Message          string `json:"message"`
	DocumentationURL string `json:"documentation_url"`
	Status           string `json:"status"`
}

func errorAnswer(status int, message, docsURL string) answer {
	return answer{status: status, body: basicError{
		Message:          message,
		DocumentationURL: docsURL,
		Status:           strconv.Itoa(status),
	}}
}

// writeAnswer sends a as GitHub does: compact JSON, no trailing newline.
func writeAnswer(w http.ResponseWriter, a answer) {
	body, err := json.Marshal(a.body)
	if err != nil {
		// Only a programming error in the emulator gets here; say so rather than send half a body.
		http.Error(w, `{"message":"emulator could not encode its answer"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(a.status)
	_, _ = w.Write(body)
}
