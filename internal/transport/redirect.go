package transport

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Redirects are followed only within the API's own scheme and host, as GitHub's are (a renamed
// repository answers 301 to the same host's /repositories/ID path). Any other answer is not
// GitHub's: APIHostOnly would send it no credential, but a GET's redirected body would still
// be recorded as GitHub's state, a PATCH's body forwarded, a run's status believed.

// maxRedirects is net/http's own limit, kept.
const maxRedirects = 10

// RedirectError is an answer that sent the client to another host, or to another scheme, than
// the API's. Host is where it pointed; the rest of that URL, which may carry a signature, is
// not kept.
type RedirectError struct {
	Host    string // scheme://host of the redirect's target
	APIHost string // scheme://host of the API
	Status  int    // the redirecting answer's status
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("the answer (%d) redirected the request to %s, which is not the API host %s; the client refuses redirects to other hosts and trusts no answer from them",
		e.Status, e.Host, e.APIHost)
}

// SameHostRedirects is an http.Client CheckRedirect that follows redirects within base's scheme
// and host only.
func SameHostRedirects(base *url.URL) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if !strings.EqualFold(req.URL.Host, base.Host) || !strings.EqualFold(req.URL.Scheme, base.Scheme) {
			status := 0
			if req.Response != nil {
				status = req.Response.StatusCode
			}
			return &RedirectError{Host: req.URL.Scheme + "://" + req.URL.Host, APIHost: base.Scheme + "://" + base.Host, Status: status}
		}
		if len(via) >= maxRedirects {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
}
