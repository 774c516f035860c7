package emulator

import (
	"net/http"
	"slices"
	"strings"
)

// tokenFrom returns the credential of an Authorization header in either scheme GitHub accepts,
// "Bearer X" (what go-github and oauth2 send) or the older "token X"; "" if there is none.
func tokenFrom(h http.Header) string {
	scheme, token, ok := strings.Cut(strings.TrimSpace(h.Get("Authorization")), " ")
	if !ok || (!strings.EqualFold(scheme, "bearer") && !strings.EqualFold(scheme, "token")) {
		return ""
	}
	return strings.TrimSpace(token)
}

// authenticate returns GitHub's 401 message for token, or "" if the token is accepted.
func (e *Emulator) authenticate(token string) string {
	if known, expired := e.installationToken(token); known {
		if expired {
			return msgBadCredentials
		}
		return ""
	}
	switch {
	case token == "":
		return msgRequiresAuthentication
	case len(e.cfg.Tokens) > 0 && !slices.Contains(e.cfg.Tokens, token):
		return msgBadCredentials
	default:
		return ""
	}
}

// loginFor is the login a token authenticates as (Config.Logins), "octocat" by default.
func (e *Emulator) loginFor(token string) string {
	if login := e.cfg.Logins[token]; login != "" {
		return login
	}
	return defaultLogin
}
