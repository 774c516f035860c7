package transport

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// CredentialError is a credential the client could not obtain. It never holds the credential.
// The transport never retries a request for it: the same source would fail the same way.
type CredentialError struct {
	Source string // e.g. "GitHub App 123, installation 456"
	Err    error
}

func (e *CredentialError) Error() string {
	return fmt.Sprintf("cannot authenticate as %s: %v", e.Source, e.Err)
}

func (e *CredentialError) Unwrap() error { return e.Err }

// NewAuth adds the credential from source to every request it carries, the way oauth2.Transport
// does, and also logs, with the request's context, when a new token comes into use (oauth2's
// sources get no context to log with). It masks the credential wherever an error answer repeats
// it (credential_echo.go). It does not decide which requests get a credential: APIHostOnly, in
// front of it, does.
func NewAuth(source oauth2.TokenSource, next http.RoundTripper, log LogFunc) http.RoundTripper {
	return &authTransport{source: source, next: next, log: log}
}

type authTransport struct {
	source oauth2.TokenSource
	next   http.RoundTripper
	log    LogFunc

	mu         sync.Mutex
	lastExpiry time.Time // of the token last used, to notice a new one
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	tok, err := t.source.Token()
	if err != nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, err
	}
	if !tok.Expiry.IsZero() {
		t.mu.Lock()
		renewed := !tok.Expiry.Equal(t.lastExpiry)
		t.lastExpiry = tok.Expiry
		t.mu.Unlock()
		if renewed && t.log != nil {
			t.log(req.Context(), "fetched a GitHub App installation token", map[string]any{"expires_at": tok.Expiry.UTC().Format(time.RFC3339)})
		}
	}
	out := req.Clone(req.Context())
	tok.SetAuthHeader(out)
	resp, err := t.next.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	maskEchoedCredential(resp, tok.AccessToken)
	return resp, nil
}
