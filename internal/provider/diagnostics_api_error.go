package provider

import (
	"errors"
	"net/http"
	"strings"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// apiErrorAdvice says what to do about a request GitHub refused or never answered, in the terms
// of this provider's settings and Terraform's commands. The client says what the refusal means
// (its typed errors and predicates); the words for what to do are the provider's.
func apiErrorAdvice(e *githubclient.APIError) string {
	switch {
	case e.StatusCode == 0 && errors.As(e.Err, new(*githubclient.CredentialError)):
		return "The provider could not authenticate. Check the credential the original error below names (app_auth's id, installation_id and private key, or the token), then try again."
	case errors.As(e.Err, new(*githubclient.NoAnswerError)):
		return "GitHub, or a proxy on the way, did not answer in time, twice. Try again; if it keeps happening, check base_url and the network between here and GitHub."
	case e.StatusCode < 300 && errors.As(e.Err, new(*githubclient.UndecodableAnswerError)):
		return "The answer is not one GitHub's API sends: a proxy, a captive portal or a base_url that is not the API (GitHub Enterprise Server's is https://HOST/api/v3) may have answered. " +
			"Check base_url and the network, using the first bytes of the answer quoted below."
	case e.StatusCode < 300 && (errors.As(e.Err, new(*githubclient.AnswerTooLargeError)) || errors.As(e.Err, new(*githubclient.ImplausibleAnswerError))):
		return "The server sent more than GitHub would, so the provider did not use its answer. Check that base_url is GitHub's API and not something else that answers in its place."
	case e.StatusCode == 0 && errors.As(e.Err, new(*githubclient.RedirectError)):
		return "Something at the API address redirected the request to another host, whose answers the provider does not trust. " +
			"If that host is where your GitHub API really is, set base_url to it; otherwise check the proxy or server that answered."
	case e.StatusCode == 0 && githubclient.Unreachable(e.Err) != githubclient.NotUnreachable:
		return unreachableAdvice(githubclient.Unreachable(e.Err))
	case e.StatusCode == 0:
		return "The request did not reach GitHub. Check base_url and the network, then try again."
	case e.StatusCode == http.StatusUnauthorized:
		return "GitHub refused the token. Check that it is valid and has not expired or been revoked."
	case e.RepositoryArchived():
		return "The repository is archived, so its settings are read-only. Unarchive it, or remove it from this configuration."
	case e.AdvancedSecurityOff():
		return "Enable GitHub Advanced Security (GitHub Code Security) for the repository, in its Settings under Advanced Security or through an organization security configuration, then apply again."
	case errors.As(e.Err, new(*githubclient.RateLimitError)):
		return "GitHub's rate limit will not lift before this operation's time runs out. Apply again after the time given below, " +
			"or raise the resource's timeouts so the provider can wait for it; lower the provider's max_concurrency (or -parallelism) to use the limit more slowly."
	case e.RateLimited():
		return "GitHub's rate limit was reached. Wait for it to reset, or lower the number of resources applied at once (-parallelism)."
	case e.ConfigurationRequest() && configurationAdvice(e) != "":
		return configurationAdvice(e)
	case e.StatusCode == http.StatusForbidden:
		return "The token lacks permission. " + e.NeededPermission()
	case e.StatusCode == http.StatusNotFound && e.OrganizationAlertList():
		return "GitHub lists an organization's alerts only to an owner or security manager of the organization. Check the organization's name, " +
			"and that the token's user holds one of those roles (a GitHub App installation needs Code scanning alerts: read)."
	case e.StatusCode == http.StatusNotFound:
		return "Check that the repository exists and is written owner/name, and that the token can see it: a classic token needs the repo scope for private repositories; a fine-grained token or GitHub App must be granted this repository."
	case e.Conflict():
		return "GitHub refused the change in the alert's present state; see GitHub's message in the original error below."
	case e.ValidationInProgress():
		return "Another code scanning change is being validated for this repository. Wait for it to finish (or raise the resource's timeouts) and apply again."
	case e.APIVersionUnsupported():
		server := "The server"
		if e.ServerVersion != "" {
			server = "GitHub Enterprise Server " + e.ServerVersion
		}
		return server + " does not serve the REST API version asked for (GitHub Enterprise Server serves " +
			strings.Join(githubclient.EnterpriseAPIVersions, ", ") + " only). Set the provider's api_version to a version GitHub's message lists, or remove it."
	case e.ThreatModelUnsupported():
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

// unreachableAdvice says what to check when the API host could not be reached.
func unreachableAdvice(cause githubclient.UnreachableCause) string {
	switch cause {
	case githubclient.UnreachableName:
		return "The API host's name does not resolve. Check base_url's host name (GitHub Enterprise Server: https://HOST; GHE.com: https://NAME.ghe.com) and this machine's DNS."
	case githubclient.UnreachableTLS:
		return "No TLS connection could be set up with the API host. Check that base_url's scheme and port are those of its HTTPS server, and that the server's certificate is trusted on this machine."
	default:
		return "Nothing accepted the connection at base_url's host and port. Check base_url, that the server is up, and any proxy or firewall between."
	}
}

// configurationAdvice is what to do about a refused code security configuration request; ""
// leaves it to the general advice.
func configurationAdvice(e *githubclient.APIError) string {
	switch {
	case e.StatusCode == http.StatusNotFound && e.Repository.Name != "":
		return "Check that the repository exists and is written owner/name, and that the token's user is an owner or security manager of its organization: GitHub shows a repository's code security configuration only to them."
	case e.StatusCode == http.StatusNotFound:
		return "Check the organization's name and the configuration's id, and that the token's user is an owner or security manager of the organization: GitHub answers 404 to anyone else. " +
			"A classic token needs the write:org scope (read:org to read); a GitHub App or fine-grained token the organization permission Administration (read to read, write to change)."
	case e.StatusCode == http.StatusForbidden && e.AcceptedPermissions == "":
		return "The token lacks permission. " + e.NeededPermission()
	case e.StatusCode == http.StatusConflict:
		return "GitHub refused the change in the configuration's present state (for example, it is a default for new repositories, or an attachment is under way); see GitHub's message in the original error below."
	}
	return ""
}
