package githubclient

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/go-github/v62/github"

	"github.com/codescanning/terraform-provider-codescanning/internal/transport"
)

// APIError is a request GitHub answered with an error status, or one that never got an answer.
// Message is GitHub's own words, quoted to the user; Advice says what to do about it.
type APIError struct {
	Op               string // what the client was doing, e.g. "update default setup"
	Repository       Repository
	StatusCode       int // 0 when there was no answer
	Message          string
	DocumentationURL string
	// ServerVersion is the GitHub Enterprise Server release that answered (its
	// X-GitHub-Enterprise-Version header); "" for github.com and GHE.com.
	ServerVersion string
	// AcceptedPermissions is GitHub's X-Accepted-GitHub-Permissions header: the App or
	// fine-grained token permissions that would have done, e.g. "actions=read"; "" if absent.
	AcceptedPermissions string
	// Method and URL are the request that was sent, the URL without its query (which might
	// carry what a log should not) and never with a credential.
	Method, URL string
	Err         error
}

func (e *APIError) Error() string {
	where := e.Op
	if e.Repository.Name != "" {
		where += " of " + e.Repository.String()
	}
	called := ""
	if e.URL != "" {
		called = " (" + e.Method + " " + e.URL + ")"
	}
	if e.StatusCode == 0 {
		return fmt.Sprintf("%s: %v%s", where, e.Err, called)
	}
	server := "GitHub"
	if e.ServerVersion != "" {
		server = "GitHub Enterprise Server " + e.ServerVersion
	}
	if e.StatusCode < 300 && e.Err != nil {
		// The request succeeded; what came back could not be used.
		return fmt.Sprintf("%s: %s answered %d, but %v%s", where, server, e.StatusCode, e.Err, called)
	}
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	return fmt.Sprintf("%s: %s answered %d: %s%s", where, server, e.StatusCode, msg, called)
}

// calledURL is u as an error may show it: no user information, and the query, if any, as "?…".
func calledURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	shown := *u
	shown.User, shown.Fragment = nil, ""
	if shown.RawQuery != "" {
		shown.RawQuery = ""
		return shown.String() + "?…"
	}
	return shown.String()
}

func (e *APIError) Unwrap() error { return e.Err }

// Advice says, for a person, what to do about the error.
func (e *APIError) Advice() string {
	msg := strings.ToLower(e.Message)
	switch {
	case e.StatusCode == 0 && errors.As(e.Err, new(*CredentialError)):
		return "The provider could not authenticate. Check the credential the original error below names (app_auth's id, installation_id and private key, or the token), then try again."
	case errors.As(e.Err, new(*NoAnswerError)):
		return "GitHub, or a proxy on the way, did not answer in time, twice. Try again; if it keeps happening, check base_url and the network between here and GitHub."
	case e.StatusCode < 300 && errors.As(e.Err, new(*UndecodableAnswerError)):
		return "The answer is not one GitHub's API sends: a proxy, a captive portal or a base_url that is not the API (GitHub Enterprise Server's is https://HOST/api/v3) may have answered. " +
			"Check base_url and the network, using the first bytes of the answer quoted below."
	case e.StatusCode < 300 && (errors.As(e.Err, new(*AnswerTooLargeError)) || errors.As(e.Err, new(*ImplausibleAnswerError))):
		return "The server sent more than GitHub would, so the provider did not use its answer. Check that base_url is GitHub's API and not something else that answers in its place."
	case e.StatusCode == 0 && errors.As(e.Err, new(*RedirectError)):
		return "Something at the API address redirected the request to another host, whose answers the provider does not trust. " +
			"If that host is where your GitHub API really is, set base_url to it; otherwise check the proxy or server that answered."
	case e.StatusCode == 0 && unreachableAdvice(e.Err) != "":
		return unreachableAdvice(e.Err)
	case e.StatusCode == 0:
		return "The request did not reach GitHub. Check base_url and the network, then try again."
	case e.StatusCode == http.StatusUnauthorized:
		return "GitHub refused the token. Check that it is valid and has not expired or been revoked."
	case e.StatusCode == http.StatusForbidden && strings.Contains(msg, "archived"):
		return "The repository is archived, so its settings are read-only. Unarchive it, or remove it from this configuration."
	case e.StatusCode == http.StatusForbidden && (strings.Contains(msg, "advanced security") || strings.Contains(msg, "code security")):
		return "Enable GitHub Advanced Security (GitHub Code Security) for the repository, in its Settings under Advanced Security or through an organization security configuration, then apply again."
	case errors.As(e.Err, new(*RateLimitError)):
		return "GitHub's rate limit will not lift before this operation's time runs out. Apply again after the time given below, " +
			"or raise the resource's timeouts so the provider can wait for it; lower the provider's max_concurrency (or -parallelism) to use the limit more slowly."
	case (e.StatusCode == http.StatusForbidden || e.StatusCode == http.StatusTooManyRequests) && strings.Contains(msg, "rate limit"):
		return "GitHub's rate limit was reached. Wait for it to reset, or lower the number of resources applied at once (-parallelism)."
	case strings.Contains(e.Op, opConfiguration) && configurationAdvice(e) != "":
		return configurationAdvice(e)
	case e.StatusCode == http.StatusForbidden:
		return "The token lacks permission. " + e.permissionAdvice()
	case e.StatusCode == http.StatusNotFound && strings.HasPrefix(e.Op, opListOrganizationAlerts):
		return "GitHub lists an organization's alerts only to an owner or security manager of the organization. Check the organization's name, " +
			"and that the token's user holds one of those roles (a GitHub App installation needs Code scanning alerts: read)."
	case e.StatusCode == http.StatusNotFound:
		return "Check that the repository exists and is written owner/name, and that the token can see it: a classic token needs the repo scope for private repositories; a fine-grained token or GitHub App must be granted this repository."
	case e.StatusCode == http.StatusConflict && !strings.Contains(e.Op, "default setup"):
		return "GitHub refused the change in the alert's present state; see GitHub's message in the original error below."
	case e.StatusCode == http.StatusConflict:
		return "Another code scanning change is being validated for this repository. Wait for it to finish (or raise the resource's timeouts) and apply again."
	case e.StatusCode == http.StatusBadRequest && strings.Contains(msg, "x-github-api-version"):
		server := "The server"
		if e.ServerVersion != "" {
			server = "GitHub Enterprise Server " + e.ServerVersion
		}
		return server + " does not serve the REST API version asked for (GitHub Enterprise Server serves " +
			strings.Join(EnterpriseAPIVersions, ", ") + " only). Set the provider's api_version to a version GitHub's message lists, or remove it."
	case e.StatusCode == http.StatusUnprocessableEntity && e.ServerVersion != "" && strings.Contains(msg, "threat_model"):
		return "GitHub Enterprise Server " + e.ServerVersion + " has no threat models for default setup (GHES 3.17 and older). " +
			"Remove threat_model from the configuration, or upgrade the server."
	case e.StatusCode == http.StatusUnprocessableEntity:
		return "GitHub rejected the settings. Change them as GitHub's message says and apply again."
	case e.StatusCode >= 500:
		return "GitHub had a problem answering. Try again in a few minutes."
	default:
		// The advice comes first and GitHub's own words last, in the original error.
		return "See GitHub's message in the original error below."
	}
}

// permissionAdvice names what the refused operation needs: the permission GitHub's
// X-Accepted-GitHub-Permissions header gives, else what GitHub documents for the operation.
func (e *APIError) permissionAdvice() string {
	if e.AcceptedPermissions != "" {
		var named []string
		for _, alternative := range strings.Split(e.AcceptedPermissions, ";") {
			var parts []string
			for _, p := range strings.Split(alternative, ",") {
				name, level, _ := strings.Cut(strings.TrimSpace(p), "=")
				parts = append(parts, permissionName(name)+": "+level)
			}
			named = append(named, strings.Join(parts, " and "))
		}
		return "GitHub says the GitHub App or fine-grained token needs the repository permission " + strings.Join(named, ", or ") + ". " +
			"A classic token needs the " + e.classicScope() + " scope."
	}
	need := "Administration (read to read default setup, write to change it)"
	switch {
	case strings.Contains(e.Op, "run"):
		need = "Actions: read (to follow a default setup run)"
	case strings.Contains(e.Op, "CodeQL database"):
		need = "Contents: read"
	case strings.Contains(e.Op, "alert") || strings.Contains(e.Op, "analys") || strings.Contains(e.Op, "SARIF"):
		need = "Code scanning alerts (read to read, write to dismiss alerts or upload SARIF)"
	}
	return "A classic token needs the " + e.classicScope() + " scope; a GitHub App or fine-grained token needs the repository permission " + need + "."
}

// classicScope is the classic token scope GitHub documents for the operation.
func (e *APIError) classicScope() string {
	if strings.Contains(e.Op, "alert") || strings.Contains(e.Op, "analys") || strings.Contains(e.Op, "SARIF") {
		return "security_events (or public_repo, for public repositories only)"
	}
	return "repo (or public_repo, for public repositories only)"
}

// permissionName is the name GitHub's settings pages give a permission its API calls name.
func permissionName(api string) string {
	switch api {
	case "security_events":
		return "Code scanning alerts"
	case "":
		return "(unnamed)"
	}
	return strings.ToUpper(api[:1]) + strings.ReplaceAll(api[1:], "_", " ")
}

// IsNotFound reports whether err is GitHub's 404.
func IsNotFound(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound
}

// StatusCode is the HTTP status of an *APIError in err's chain, or 0.
func StatusCode(err error) int {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	return 0
}

func asAPIError(op string, repo Repository, req *http.Request, resp *github.Response, err error) error {
	var redirect *RedirectError
	var urlErr *url.Error
	switch {
	case errors.As(err, &redirect):
		err = redirect // net/http's wrapping names the whole redirect URL, signature and all
	case errors.As(err, &urlErr):
		err = urlErr.Err // the error names the request itself, without its query
	}
	apiErr := &APIError{Op: op, Repository: repo, Err: err}
	if req != nil {
		apiErr.Method, apiErr.URL = req.Method, calledURL(req.URL)
	}
	if resp != nil && resp.Response != nil {
		apiErr.StatusCode = resp.StatusCode
		apiErr.ServerVersion = resp.Header.Get("X-GitHub-Enterprise-Version")
		apiErr.AcceptedPermissions = resp.Header.Get("X-Accepted-GitHub-Permissions")
		if resp.StatusCode < 300 {
			if undecodable := transport.AsUndecodable(resp.Response, err); undecodable != nil {
				apiErr.Err = undecodable
			}
		}
	}
	var ghErr *github.ErrorResponse
	var rateErr *github.RateLimitError
	var abuseErr *github.AbuseRateLimitError
	var waitErr *RateLimitError
	switch {
	case errors.As(err, &waitErr):
		// The transport gave up waiting; its words hold the reset time.
		apiErr.StatusCode, apiErr.Message = waitErr.StatusCode, waitErr.Error()
	case errors.As(err, &ghErr):
		apiErr.Message, apiErr.DocumentationURL = ghErr.Message, ghErr.DocumentationURL
		for _, e := range ghErr.Errors {
			if e.Message != "" {
				apiErr.Message += " (" + e.Message + ")"
			}
		}
	case errors.As(err, &rateErr):
		apiErr.Message = rateErr.Message
	case errors.As(err, &abuseErr):
		apiErr.Message = abuseErr.Message
	}
	return apiErr
}
