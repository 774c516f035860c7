package githubclient

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/transport"
)

// echoAuthorization answers every default-setup request 422, quoting the request's
// Authorization header in GitHub's message, its errors and a header, as a misbehaving proxy did.
func echoAuthorization(w http.ResponseWriter, r *http.Request) bool {
	if !strings.HasSuffix(r.URL.Path, "/code-scanning/default-setup") {
		return false
	}
	auth := r.Header.Get("Authorization")
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Debug-Request", "Authorization: "+auth)
	w.WriteHeader(http.StatusUnprocessableEntity)
	_, _ = w.Write([]byte(`{"message":"Invalid request header Authorization: ` + auth + `","errors":[{"message":"got ` + auth + `"}],"documentation_url":"https://docs.github.com/rest"}`))
	return true
}

func TestCredentialEchoedInAnErrorIsMasked(t *testing.T) {
	t.Parallel()
	emu, base := newFaultyEmulator(t, emulator.Config{})
	emu.Intercept(echoAuthorization)
	c, logs := transportClient(t, base, nil)
	_, err := c.GetDefaultSetup(context.Background(), service)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("error = %v; want GitHub's 422", err)
	}
	for what, text := range map[string]string{"error": err.Error(), "message": apiErr.Message, "permission": apiErr.NeededPermission(), "log": logs.all()} {
		if strings.Contains(text, "secret-token") {
			t.Fatalf("the %s holds the token: %s", what, text)
		}
	}
	if !strings.Contains(apiErr.Message, "Bearer "+transport.CredentialMask) {
		t.Fatalf("message %q; want GitHub's words kept, the token masked", apiErr.Message)
	}
}

func TestInstallationTokenEchoedInAnErrorIsMasked(t *testing.T) {
	t.Parallel()
	emu, base := appEmulator(t, time.Hour)
	emu.Intercept(echoAuthorization)
	c, logs := transportClient(t, base, func(cfg *Config) { cfg.Token, cfg.App = "", appCredentials(t, time.Minute) })
	_, err := c.GetDefaultSetup(context.Background(), service)
	if StatusCode(err) != http.StatusUnprocessableEntity {
		t.Fatalf("error = %v; want GitHub's 422", err)
	}
	if strings.Contains(err.Error(), "ghs_") || strings.Contains(logs.all(), "ghs_") {
		t.Fatalf("an installation token got out: %v\n%s", err, logs.all())
	}
}
