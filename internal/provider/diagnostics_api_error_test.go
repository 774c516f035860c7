package provider

import (
	"crypto/tls"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// Every kind of error the client returns is told its advice, word for word as the client gave
// it before the advice moved here (the client speaks GitHub only, TestSpeaksNoTerraform), and
// the diagnostic reads summary, that advice, then the original error.
func TestAPIErrorAdviceForEveryKind(t *testing.T) {
	t.Parallel()
	for _, tc := range adviceCases() {
		if got := adviceFor(tc.err); got != tc.want {
			t.Errorf("%s: advice\n%q\nwant\n%q", tc.name, got, tc.want)
		}
		var diags diag.Diagnostics
		addClientError(&diags, "Summary", tc.err)
		if detail := diags[0].Detail(); detail != tc.want+"\n\nOriginal Error: "+tc.err.Error() {
			t.Errorf("%s: detail %q", tc.name, detail)
		}
	}
}

// A diagnostic reads summary, advice, then the original error with GitHub's words: advice that
// refers to those words points down to them, never "above".
func TestAdvicePointsDownToGitHubsMessage(t *testing.T) {
	t.Parallel()
	for _, tc := range adviceCases() {
		if strings.Contains(tc.want, "above") {
			t.Errorf("%s: advice %q should point down to the original error, below it", tc.name, tc.want)
		}
	}
	for _, name := range []string{"418", "409 alert", "credential"} {
		for _, tc := range adviceCases() {
			if tc.name == name && !strings.Contains(adviceFor(tc.err), "below") {
				t.Errorf("%s: advice %q does not point down to the original error", name, adviceFor(tc.err))
			}
		}
	}
}

// adviceCases are errors of every kind adviceFor tells apart, each with the advice it gives.
func adviceCases() []struct {
	name string
	err  error
	want string
} {
	repo := githubclient.Repository{Owner: "octo-org", Name: "service"}
	apiErr := func(op string, status int, msg string, err error) *githubclient.APIError {
		return &githubclient.APIError{Op: op, Repository: repo, StatusCode: status, Message: msg, Err: err}
	}
	withServer := func(e *githubclient.APIError, version string) *githubclient.APIError {
		e.ServerVersion = version
		return e
	}
	withAccepted := func(e *githubclient.APIError, perms string) *githubclient.APIError {
		e.AcceptedPermissions = perms
		return e
	}
	noRepo := func(e *githubclient.APIError) *githubclient.APIError {
		e.Repository = githubclient.Repository{}
		return e
	}
	const (
		orgAlerts     = "list code scanning alerts of organization octo-org"
		configuration = "update code security configuration 17"
	)
	return []struct {
		name string
		err  error
		want string
	}{
		{"credential", apiErr("read default setup", 0, "", &githubclient.CredentialError{Source: "GitHub App 1, installation 2", Err: errors.New("bad key")}),
			"The provider could not authenticate. Check the credential the original error below names (app_auth's id, installation_id and private key, or the token), then try again."},
		{"no answer", apiErr("read default setup", 0, "", &githubclient.NoAnswerError{Timeout: time.Minute}),
			"GitHub, or a proxy on the way, did not answer in time, twice. Try again; if it keeps happening, check base_url and the network between here and GitHub."},
		{"no answer after a status", apiErr("read default setup", 200, "", &githubclient.NoAnswerError{Timeout: time.Minute, Partial: true}),
			"GitHub, or a proxy on the way, did not answer in time, twice. Try again; if it keeps happening, check base_url and the network between here and GitHub."},
		{"undecodable", apiErr("read default setup", 200, "", &githubclient.UndecodableAnswerError{ContentType: "text/html", Head: []byte("<html>"), Err: errors.New("invalid character")}),
			"The answer is not one GitHub's API sends: a proxy, a captive portal or a base_url that is not the API (GitHub Enterprise Server's is https://HOST/api/v3) may have answered. Check base_url and the network, using the first bytes of the answer quoted below."},
		{"too large", apiErr("list code scanning alerts", 200, "", &githubclient.AnswerTooLargeError{Limit: 64 << 20}),
			"The server sent more than GitHub would, so the provider did not use its answer. Check that base_url is GitHub's API and not something else that answers in its place."},
		{"implausible", apiErr("list code scanning alerts", 200, "", &githubclient.ImplausibleAnswerError{What: "a page of 10,000 alerts"}),
			"The server sent more than GitHub would, so the provider did not use its answer. Check that base_url is GitHub's API and not something else that answers in its place."},
		{"redirect", apiErr("read default setup", 0, "", &githubclient.RedirectError{Host: "https://elsewhere", APIHost: "https://api.github.com", Status: 302}),
			"Something at the API address redirected the request to another host, whose answers the provider does not trust. If that host is where your GitHub API really is, set base_url to it; otherwise check the proxy or server that answered."},
		{"name does not resolve", apiErr("read default setup", 0, "", &net.DNSError{Err: "no such host", Name: "ghe.invalid", IsNotFound: true}),
			"The API host's name does not resolve. Check base_url's host name (GitHub Enterprise Server: https://HOST; GHE.com: https://NAME.ghe.com) and this machine's DNS."},
		{"no TLS", apiErr("read default setup", 0, "", tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}),
			"No TLS connection could be set up with the API host. Check that base_url's scheme and port are those of its HTTPS server, and that the server's certificate is trusted on this machine."},
		{"nothing listens", apiErr("read default setup", 0, "", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}),
			"Nothing accepted the connection at base_url's host and port. Check base_url, that the server is up, and any proxy or firewall between."},
		{"no answer at all", apiErr("read default setup", 0, "", errors.New("connection reset")),
			"The request did not reach GitHub. Check base_url and the network, then try again."},
		{"401", apiErr("read default setup", 401, "Bad credentials", nil),
			"GitHub refused the token. Check that it is valid and has not expired or been revoked."},
		{"archived", apiErr("update default setup", 403, "Repository was archived so is read-only.", nil),
			"The repository is archived, so its settings are read-only. Unarchive it, or remove it from this configuration."},
		{"advanced security off", apiErr("update default setup", 403, "Advanced Security must be enabled for this repository to use code scanning.", nil),
			"Enable GitHub Advanced Security (GitHub Code Security) for the repository, in its Settings under Advanced Security or through an organization security configuration, then apply again."},
		{"code security off", apiErr("update default setup", 403, "Code Security must be enabled for this repository to use code scanning.", nil),
			"Enable GitHub Advanced Security (GitHub Code Security) for the repository, in its Settings under Advanced Security or through an organization security configuration, then apply again."},
		{"rate limit outlasts the deadline", apiErr("read default setup", 403, "", &githubclient.RateLimitError{StatusCode: 403, Message: "API rate limit exceeded", Until: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}),
			"GitHub's rate limit will not lift before this operation's time runs out. Apply again after the time given below, or raise the resource's timeouts so the provider can wait for it; lower the provider's max_concurrency (or -parallelism) to use the limit more slowly."},
		{"rate limit 403", apiErr("read default setup", 403, "API rate limit exceeded for installation ID 1.", nil),
			"GitHub's rate limit was reached. Wait for it to reset, or lower the number of resources applied at once (-parallelism)."},
		{"rate limit 429", apiErr("read default setup", 429, "You have exceeded a secondary rate limit.", nil),
			"GitHub's rate limit was reached. Wait for it to reset, or lower the number of resources applied at once (-parallelism)."},
		{"configuration of a repository 404", apiErr("read code security configuration of repository", 404, "Not Found", nil),
			"Check that the repository exists and is written owner/name, and that the token's user is an owner or security manager of its organization: GitHub shows a repository's code security configuration only to them."},
		{"configuration 404", noRepo(apiErr(configuration, 404, "Not Found", nil)),
			"Check the organization's name and the configuration's id, and that the token's user is an owner or security manager of the organization: GitHub answers 404 to anyone else. A classic token needs the write:org scope (read:org to read); a GitHub App or fine-grained token the organization permission Administration (read to read, write to change)."},
		{"configuration 403", noRepo(apiErr(configuration, 403, "Resource not accessible by integration", nil)),
			"The token lacks permission. Code security configurations are managed by an organization owner or security manager: a classic token needs the write:org scope (read:org to read); a GitHub App or fine-grained token the organization permission Administration (read to read, write to change)."},
		{"configuration 403 with permissions", noRepo(withAccepted(apiErr(configuration, 403, "Resource not accessible by integration", nil), "administration=write")),
			"The token lacks permission. GitHub says the GitHub App or fine-grained token needs the repository permission Administration: write. A classic token needs the repo (or public_repo, for public repositories only) scope."},
		{"configuration 409", noRepo(apiErr(configuration, 409, "Configuration is a default", nil)),
			"GitHub refused the change in the configuration's present state (for example, it is a default for new repositories, or an attachment is under way); see GitHub's message in the original error below."},
		{"configuration 422", noRepo(apiErr(configuration, 422, "Invalid setting", nil)),
			"GitHub rejected the settings. Change them as GitHub's message says and apply again."},
		{"403 default setup", apiErr("read default setup", 403, "Resource not accessible by integration", nil),
			"The token lacks permission. A classic token needs the repo (or public_repo, for public repositories only) scope; a GitHub App or fine-grained token needs the repository permission Administration (read to read default setup, write to change it)."},
		{"403 run", apiErr("read default setup run 12", 403, "Resource not accessible by integration", nil),
			"The token lacks permission. A classic token needs the repo (or public_repo, for public repositories only) scope; a GitHub App or fine-grained token needs the repository permission Actions: read (to follow a default setup run)."},
		{"403 CodeQL database", apiErr("list CodeQL databases", 403, "Resource not accessible by integration", nil),
			"The token lacks permission. A classic token needs the repo (or public_repo, for public repositories only) scope; a GitHub App or fine-grained token needs the repository permission Contents: read."},
		{"403 alert", apiErr("update code scanning alert 3", 403, "Resource not accessible by integration", nil),
			"The token lacks permission. A classic token needs the security_events (or public_repo, for public repositories only) scope; a GitHub App or fine-grained token needs the repository permission Code scanning alerts (read to read, write to dismiss alerts or upload SARIF)."},
		{"403 SARIF", apiErr("upload SARIF", 403, "Resource not accessible by integration", nil),
			"The token lacks permission. A classic token needs the security_events (or public_repo, for public repositories only) scope; a GitHub App or fine-grained token needs the repository permission Code scanning alerts (read to read, write to dismiss alerts or upload SARIF)."},
		{"403 accepted permissions", withAccepted(apiErr("read default setup", 403, "Resource not accessible by integration", nil), "administration=read; contents=read, security_events=write"),
			"The token lacks permission. GitHub says the GitHub App or fine-grained token needs the repository permission Administration: read, or Contents: read and Code scanning alerts: write. A classic token needs the repo (or public_repo, for public repositories only) scope."},
		{"404 organization alerts", noRepo(apiErr(orgAlerts, 404, "Not Found", nil)),
			"GitHub lists an organization's alerts only to an owner or security manager of the organization. Check the organization's name, and that the token's user holds one of those roles (a GitHub App installation needs Code scanning alerts: read)."},
		{"404", apiErr("read default setup", 404, "Not Found", nil),
			"Check that the repository exists and is written owner/name, and that the token can see it: a classic token needs the repo scope for private repositories; a fine-grained token or GitHub App must be granted this repository."},
		{"409 alert", apiErr("update code scanning alert 3", 409, "Cannot reopen", nil),
			"GitHub refused the change in the alert's present state; see GitHub's message in the original error below."},
		{"409 default setup", apiErr("update default setup", 409, "A code scanning default setup update is already in progress", nil),
			"Another code scanning change is being validated for this repository. Wait for it to finish (or raise the resource's timeouts) and apply again."},
		{"400 API version", apiErr("read default setup", 400, "Unsupported 'X-GitHub-Api-Version' header", nil),
			"The server does not serve the REST API version asked for (GitHub Enterprise Server serves 2022-11-28 only). Set the provider's api_version to a version GitHub's message lists, or remove it."},
		{"400 API version GHES", withServer(apiErr("read default setup", 400, "Unsupported 'X-GitHub-Api-Version' header", nil), "3.19.1"),
			"GitHub Enterprise Server 3.19.1 does not serve the REST API version asked for (GitHub Enterprise Server serves 2022-11-28 only). Set the provider's api_version to a version GitHub's message lists, or remove it."},
		{"400", apiErr("read default setup", 400, "Problems parsing JSON", nil),
			"See GitHub's message in the original error below."},
		{"422 threat model GHES", withServer(apiErr("update default setup", 422, "Invalid request. threat_model is not a permitted key.", nil), "3.17.2"),
			"GitHub Enterprise Server 3.17.2 has no threat models for default setup (GHES 3.17 and older). Remove threat_model from the configuration, or upgrade the server."},
		{"422 threat model github.com", apiErr("update default setup", 422, "threat_model is not valid", nil),
			"GitHub rejected the settings. Change them as GitHub's message says and apply again."},
		{"422", apiErr("update default setup", 422, "Invalid languages", nil),
			"GitHub rejected the settings. Change them as GitHub's message says and apply again."},
		{"500", apiErr("read default setup", 502, "", nil),
			"GitHub had a problem answering. Try again in a few minutes."},
		{"418", apiErr("read code scanning alert 1", 418, "I'm a teapot", nil),
			"See GitHub's message in the original error below."},
	}
}
