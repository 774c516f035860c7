package githubclient

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strings"
)

// An API host that cannot be reached at all (nothing listens, its name does not resolve, TLS
// cannot be agreed) will most likely not be reachable a few seconds later either: retrying it
// through the whole back-off kept a plan silent for two minutes before it said "connection
// refused". Such failures get a short budget of retries instead, or none.

// maxUnreachableRetries is how many times a request whose connection could not be opened is
// tried again: with the default back-off, one and two seconds, so a host that is down fails the
// request within seconds, and one that restarts (a load balancer, a GHES upgrade) is still
// waited for.
const maxUnreachableRetries = 2

// unreachableKind says whether err is a failure to reach the API host rather than a failure of
// one request: "" when it is not; retry says whether a short retry might help.
func unreachableKind(err error) (kind string, retry bool) {
	var dnsErr *net.DNSError
	var recordErr tls.RecordHeaderError
	var alertErr tls.AlertError
	var opErr *net.OpError
	switch {
	case errors.As(err, &dnsErr):
		// A name that does not exist will not exist in a second; a resolver that timed out may answer.
		return "name lookup", !dnsErr.IsNotFound
	case errors.As(err, &recordErr), errors.As(err, &alertErr), errors.As(err, new(*tls.CertificateVerificationError)),
		errors.As(err, new(x509.UnknownAuthorityError)), errors.As(err, new(x509.HostnameError)), errors.As(err, new(x509.CertificateInvalidError)):
		return "TLS", false
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return "connect", true
	case errors.As(err, &opErr) && opErr.Op == "remote error",
		// net/http's own words for a TLS handshake answered in plain HTTP.
		strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return "TLS", false
	}
	return "", false
}

// unreachableAdvice says what to check when err is a failure to reach the API host.
func unreachableAdvice(err error) string {
	switch kind, _ := unreachableKind(err); kind {
	case "name lookup":
		return "The API host's name does not resolve. Check base_url's host name (GitHub Enterprise Server: https://HOST; GHE.com: https://NAME.ghe.com) and this machine's DNS."
	case "TLS":
		return "No TLS connection could be set up with the API host. Check that base_url's scheme and port are those of its HTTPS server, and that the server's certificate is trusted on this machine."
	case "connect":
		return "Nothing accepted the connection at base_url's host and port. Check base_url, that the server is up, and any proxy or firewall between."
	}
	return ""
}
