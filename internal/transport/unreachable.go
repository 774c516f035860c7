package transport

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

// MaxUnreachableRetries is how many times a request whose connection could not be opened is
// tried again: with the default back-off, one and two seconds, so a host that is down fails the
// request within seconds, and one that restarts (a load balancer, a GHES upgrade) is still
// waited for.
const MaxUnreachableRetries = 2

// UnreachableCause says why the API host could not be reached.
type UnreachableCause string

// The causes Unreachable tells apart.
const (
	NotUnreachable    UnreachableCause = ""            // a failure of one request, not of reaching the host
	UnreachableName   UnreachableCause = "name lookup" // the host's name does not resolve
	UnreachableTLS    UnreachableCause = "TLS"         // no TLS connection could be agreed
	UnreachableListen UnreachableCause = "connect"     // nothing accepted the connection
)

// Unreachable says whether err is a failure to reach the API host rather than a failure of one
// request: NotUnreachable when it is not.
func Unreachable(err error) UnreachableCause {
	cause, _ := unreachable(err)
	return cause
}

// unreachable is Unreachable, and whether a short retry might help.
func unreachable(err error) (cause UnreachableCause, retry bool) {
	var dnsErr *net.DNSError
	var recordErr tls.RecordHeaderError
	var alertErr tls.AlertError
	var opErr *net.OpError
	switch {
	case errors.As(err, &dnsErr):
		// A name that does not exist will not exist in a second; a resolver that timed out may answer.
		return UnreachableName, !dnsErr.IsNotFound
	case errors.As(err, &recordErr), errors.As(err, &alertErr), errors.As(err, new(*tls.CertificateVerificationError)),
		errors.As(err, new(x509.UnknownAuthorityError)), errors.As(err, new(x509.HostnameError)), errors.As(err, new(x509.CertificateInvalidError)):
		return UnreachableTLS, false
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return UnreachableListen, true
	case errors.As(err, &opErr) && opErr.Op == "remote error",
		// net/http's own words for a TLS handshake answered in plain HTTP.
		strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return UnreachableTLS, false
	}
	return NotUnreachable, false
}
