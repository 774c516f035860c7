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
// Message is GitHub's own words, quoted to the user. Its methods (error_kinds.go) say what
// GitHub's refusal means; what to do about it is the caller's to say, in its users' terms.
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

// NeededPermission says, in GitHub's words, what the refused operation needs: the permission
// GitHub's X-Accepted-GitHub-Permissions header gives, else what GitHub documents for it.
func (e *APIError) NeededPermission() string {
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
	if e.ConfigurationRequest() {
		return "Code security configurations are managed by an organization owner or security manager: a classic token needs the write:org scope (read:org to read); " +
			"a GitHub App or fine-grained token the organization permission Administration (read to read, write to change)."
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
