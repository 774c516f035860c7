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
	// GitHub's answer for a repository code scanning never analysed, rather than an empty list.
	msgNoAnalysisFound = "no analysis found"
	// Seen from github.com (delegated dismissal, re-dismissal); the fixed-alert wording is the
	// emulator's own, as GitHub's is not documented.
	msgAlertAlreadyDismissed = "Alert is already dismissed."
	msgDelegatedDismissal    = "Delegated alert dismissal is enabled. " +
		"The alert cannot be dismissed when the create_request parameter is false."
	msgDismissalCommentInvalid = "Alert dismissal comment is not valid."
	msgAlertFixed              = "A fixed alert cannot be dismissed or reopened; " +
		"code scanning reopens it if a later analysis finds it again."
	// The documentation says only "Bad Request if the sarif field is invalid"; these say how.
	msgSarifNotBase64 = "The sarif field is not valid: it must be base64-encoded (of gzip-compressed SARIF)."
	msgSarifNotGzip   = "The sarif field is not valid: it must be gzip-compressed SARIF, base64-encoded."
	msgSarifNotJSON   = "The sarif field is not valid: it must hold a SARIF log, a JSON object."
)

// documentation_url values, one per operation, as GitHub links each error to its own page.
const (
	docsREST            = "https://docs.github.com/rest"
	docsGetRepository   = "https://docs.github.com/rest/repos/repos#get-a-repository"
	docsGetDefaultSetup = "https://docs.github.com/rest/code-scanning/code-scanning" +
		"#get-a-code-scanning-default-setup-configuration"
	docsUpdateDefaultSetup = "https://docs.github.com/rest/code-scanning/code-scanning" +
		"#update-a-code-scanning-default-setup-configuration"
	docsGetWorkflowRun = "https://docs.github.com/rest/actions/workflow-runs#get-a-workflow-run"

	docsCodeScanning       = "https://docs.github.com/rest/code-scanning/code-scanning"
	docsListOrgAlerts      = docsCodeScanning + "#list-code-scanning-alerts-for-an-organization"
	docsListRepoAlerts     = docsCodeScanning + "#list-code-scanning-alerts-for-a-repository"
	docsGetAlert           = docsCodeScanning + "#get-a-code-scanning-alert"
	docsUpdateAlert        = docsCodeScanning + "#update-a-code-scanning-alert"
	docsListAlertInstances = docsCodeScanning + "#list-instances-of-a-code-scanning-alert"
	docsListAnalyses       = docsCodeScanning + "#list-code-scanning-analyses-for-a-repository"
	docsGetAnalysis        = docsCodeScanning + "#get-a-code-scanning-analysis-for-a-repository"
	docsListDatabases      = docsCodeScanning + "#list-codeql-databases-for-a-repository"
	docsGetDatabase        = docsCodeScanning + "#get-a-codeql-database-for-a-repository"
	docsUploadSarif        = docsCodeScanning + "#upload-an-analysis-as-sarif-data"
	docsGetSarif           = docsCodeScanning + "#get-information-about-a-sarif-upload"
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

// writeAnswer sends a as GitHub does: compact JSON, no trailing newline; a 204 has no body.
func writeAnswer(w http.ResponseWriter, a answer) {
	if a.status == http.StatusNoContent {
		for k, v := range a.header {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Type")
		w.WriteHeader(a.status)
		return
	}
	body, err := json.Marshal(a.body)
	if err != nil {
		// Only a programming error in the emulator gets here; say so rather than send half a body.
		http.Error(w, `{"message":"emulator could not encode its answer"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	for k, v := range a.header {
		w.Header()[k] = v
	}
	w.WriteHeader(a.status)
	_, _ = w.Write(body)
}
