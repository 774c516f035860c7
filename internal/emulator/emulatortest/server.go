package emulatortest

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// DefaultPathPrefix is where NewServer serves the API when the configuration names no prefix:
// not the root, so an absolute-URL bug in a client fails.
const DefaultPathPrefix = "/api-v3"

// NewServer starts an emulator with cfg on an httptest server that closes when the test ends. The
// API is served under cfg.PathPrefix, or DefaultPathPrefix if that is empty. It returns the base
// URL, ending in "/", to give the client.
func NewServer(t testing.TB, cfg emulator.Config) (*emulator.Emulator, string) {
	t.Helper()
	prefix := strings.Trim(cfg.PathPrefix, "/")
	if prefix == "" {
		prefix = strings.Trim(DefaultPathPrefix, "/")
	}
	cfg.PathPrefix = "/" + prefix
	e := emulator.New(cfg)
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	base := srv.URL + cfg.PathPrefix + "/"
	e.SetBaseURL(base)
	return e, base
}
