package githubclient

import "github.com/codescanning/terraform-provider-codescanning/internal/transport"

// unreachableAdvice says what to check when err is a failure to reach the API host.
func unreachableAdvice(err error) string {
	switch transport.Unreachable(err) {
	case transport.UnreachableName:
		return "The API host's name does not resolve. Check base_url's host name (GitHub Enterprise Server: https://HOST; GHE.com: https://NAME.ghe.com) and this machine's DNS."
	case transport.UnreachableTLS:
		return "No TLS connection could be set up with the API host. Check that base_url's scheme and port are those of its HTTPS server, and that the server's certificate is trusted on this machine."
	case transport.UnreachableListen:
		return "Nothing accepted the connection at base_url's host and port. Check base_url, that the server is up, and any proxy or firewall between."
	}
	return ""
}
