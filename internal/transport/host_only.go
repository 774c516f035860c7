package transport

import (
	"net/http"
	"strings"
)

// APIHostOnly sends requests for the API host (same scheme, same host and port) through API,
// the stack that adds the credential, and everything else (a run_url or a link on another
// host) through Elsewhere, the bare transport, so a URL GitHub hands back can never carry a
// credential elsewhere, nor over plain HTTP when the API is HTTPS. Every credential source, App
// installation tokens and the App's own JWT included, sits behind one of these.
type APIHostOnly struct {
	Scheme, Host string
	API          http.RoundTripper
	Elsewhere    http.RoundTripper
}

func (t *APIHostOnly) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.EqualFold(req.URL.Host, t.Host) && strings.EqualFold(req.URL.Scheme, t.Scheme) {
		return t.API.RoundTrip(req)
	}
	return t.Elsewhere.RoundTrip(req)
}
