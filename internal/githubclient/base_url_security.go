package githubclient

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// A credential travels with every request to the API host. Over http:// it crosses the network
// in clear text, so plain HTTP is taken only to this machine (a local proxy, the embedded
// GitHub) unless the caller says, with Config.AllowInsecureHTTP, that the network between is
// trusted.

// InsecureBaseURLError is an http:// API root on a host other than loopback, not allowed.
type InsecureBaseURLError struct{ APIRoot string }

func (e *InsecureBaseURLError) Error() string {
	u, _ := url.Parse(e.APIRoot)
	host := e.APIRoot
	if u != nil {
		host = u.Host
	}
	return fmt.Sprintf("base URL %s uses plain http:// to %s, which is not this machine: the credential would cross the network unencrypted", e.APIRoot, host)
}

// CheckTransportSecurity refuses an API root (from ResolveBaseURL) that would send the credential
// in clear text to another machine, unless allowInsecureHTTP.
func CheckTransportSecurity(apiRoot string, allowInsecureHTTP bool) error {
	u, err := url.Parse(apiRoot)
	if err != nil {
		return err
	}
	if !strings.EqualFold(u.Scheme, "http") || allowInsecureHTTP || IsLoopbackHost(u.Hostname()) {
		return nil
	}
	return &InsecureBaseURLError{APIRoot: apiRoot}
}

// IsLoopbackHost reports whether host names this machine: localhost (and *.localhost, which
// RFC 6761 reserves for it), 127.0.0.0/8 or ::1.
func IsLoopbackHost(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
