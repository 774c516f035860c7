package transport

import (
	"bytes"
	"io"
	"net/http"
	"strings"
)

// CredentialMask replaces a credential that an answer repeats.
const CredentialMask = "***"

// maskEchoedCredential removes from an error answer (status 400 and above), or from any answer
// that is not JSON (a proxy's page, which an error may quote), every copy of the credential its
// request carried: a server or proxy that echoes the request's headers (a 422
// quoting the Authorization header was seen) would otherwise put the token into GitHub's
// message, and from there into a diagnostic or a log. Done where the credential is added, so it
// covers every credential (token, installation token, the App's JWT) and every reader of the
// answer. GitHub's successful JSON answers are left alone: an installation token's own answer
// holds a token.
func maskEchoedCredential(resp *http.Response, secret string) {
	if resp == nil || secret == "" || (resp.StatusCode < http.StatusBadRequest && strings.Contains(resp.Header.Get("Content-Type"), "json")) {
		return
	}
	for name, values := range resp.Header {
		for i, v := range values {
			if strings.Contains(v, secret) {
				resp.Header[name][i] = strings.ReplaceAll(v, secret, CredentialMask)
			}
		}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	_ = resp.Body.Close()
	if err == nil && bytes.Contains(body, []byte(secret)) {
		body = bytes.ReplaceAll(body, []byte(secret), []byte(CredentialMask))
	}
	var rest io.Reader = bytes.NewReader(body)
	if err != nil {
		rest = io.MultiReader(rest, failingReader{err}) // the reader still learns the answer was cut short
	}
	resp.Body = io.NopCloser(rest)
	resp.ContentLength = int64(len(body))
	resp.Header.Del("Content-Length")
}

// failingReader fails every read with err.
type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }
