package emulator

import (
	"net/http"
	"testing"
)

func TestAuthentication(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		tokens        []string
		authorization string
		wantStatus    int
		wantMessage   string
	}{
		{name: "no header", wantStatus: 401, wantMessage: msgRequiresAuthentication},
		{name: "empty bearer", authorization: "Bearer ", wantStatus: 401, wantMessage: msgRequiresAuthentication},
		{name: "unsupported scheme", authorization: "Basic b2N0bzpwdw==", wantStatus: 401,
			wantMessage: msgRequiresAuthentication},
		{name: "any bearer token when none are listed", authorization: "Bearer anything", wantStatus: 200},
		{name: "token scheme", authorization: "token anything", wantStatus: 200},
		{name: "scheme is case-insensitive", authorization: "bearer anything", wantStatus: 200},
		{name: "listed token", tokens: []string{"good"}, authorization: "Bearer good", wantStatus: 200},
		{name: "unlisted token", tokens: []string{"good"}, authorization: "Bearer bad", wantStatus: 401,
			wantMessage: msgBadCredentials},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newTestAPI(t, Config{Tokens: tt.tokens}, scanned("app"))
			headers := map[string]string{}
			if tt.authorization != "" {
				headers["Authorization"] = tt.authorization
			}
			got := a.doWith("GET", a.base+"repos/octo-org/app/code-scanning/default-setup", "", headers)
			if tt.wantStatus != http.StatusUnauthorized {
				if got.status != tt.wantStatus {
					t.Fatalf("status = %d, want %d; body %s", got.status, tt.wantStatus, got.body)
				}
				return
			}
			got.expectError(t, tt.wantStatus, tt.wantMessage)
		})
	}
}

// TestAuthenticationBodyIsGitHubs pins the exact bytes, since clients match on them.
func TestAuthenticationBodyIsGitHubs(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	got := a.doWith("GET", a.base+"repos/octo-org/app", "", nil)
	want := `{"message":"Requires authentication","documentation_url":"https://docs.github.com/rest","status":"401"}`
	if string(got.body) != want {
		t.Errorf("body = %s, want %s", got.body, want)
	}
}
