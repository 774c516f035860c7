package githubclient

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// GitHub Enterprise Server 3.17 has no threat models: leaving threat_model out works, and
// asking for one fails naming the server's release, told apart as ThreatModelUnsupported.
func TestGHES317RefusesThreatModelNamingItsVersion(t *testing.T) {
	t.Parallel()
	emu := emulator.New(emulator.Config{EnterpriseVersion: "3.17.2", PathPrefix: "/api/v3"})
	emu.AddRepository(emulator.Repository{Owner: "octo-org", Name: "service", AdvancedSecurity: true, Languages: []string{"go"}})
	srv := httptest.NewServer(emu.Handler())
	t.Cleanup(srv.Close)
	// A host with no path is GHES: the client finds the API under /api/v3/.
	c, _ := transportClient(t, srv.URL, nil)
	if c.BaseURL() != srv.URL+"/api/v3/" {
		t.Fatalf("base URL %s; want the GHES form", c.BaseURL())
	}
	ctx := context.Background()

	_, err := c.UpdateDefaultSetup(ctx, service, DefaultSetupUpdate{State: StateConfigured, ThreatModel: "remote_and_local"})
	var apiErr *APIError
	if StatusCode(err) != http.StatusUnprocessableEntity || !strings.Contains(err.Error(), "GitHub Enterprise Server 3.17.2") ||
		!errors.As(err, &apiErr) || !apiErr.ThreatModelUnsupported() || apiErr.ServerVersion != "3.17.2" {
		t.Fatalf("error = %v; want a 422 naming GitHub Enterprise Server 3.17.2, told apart as ThreatModelUnsupported", err)
	}

	if _, err := c.UpdateDefaultSetup(ctx, service, DefaultSetupUpdate{State: StateConfigured, Languages: []string{"go"}}); err != nil {
		t.Fatalf("without threat_model: %v", err)
	}
	ds, err := c.GetDefaultSetup(ctx, service)
	if err != nil || ds.ThreatModel != nil {
		t.Fatalf("GetDefaultSetup = %+v, %v; want no threat_model from GHES 3.17", ds, err)
	}
}

// base_url https://NAME.ghe.com reaches the API at https://api.NAME.ghe.com/, with the token.
func TestGHEComBaseURLReachesTheAPIHost(t *testing.T) {
	t.Parallel()
	emu := emulator.New(emulator.Config{})
	emu.AddRepository(emulator.Repository{Owner: "octo-org", Name: "service", AdvancedSecurity: true, Languages: []string{"go"}})
	srv := httptest.NewTLSServer(emu.Handler())
	t.Cleanup(srv.Close)
	emu.SetBaseURL("https://api.octo.ghe.com/")
	// The emulator stands in for api.octo.ghe.com: every dial goes to it, over TLS it trusts.
	transport, ok := srv.Client().Transport.(*http.Transport)
	if !ok {
		t.Fatal("httptest's TLS client has no *http.Transport")
	}
	transport = transport.Clone()
	addr := srv.Listener.Addr().String()
	transport.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	transport.TLSClientConfig.ServerName = "example.com" // httptest's certificate names example.com
	c, _ := transportClient(t, "https://octo.ghe.com", func(cfg *Config) { cfg.Transport = transport })
	if c.BaseURL() != "https://api.octo.ghe.com/" {
		t.Fatalf("base URL %s; want https://api.octo.ghe.com/", c.BaseURL())
	}
	ctx := context.Background()
	run, err := c.UpdateDefaultSetup(ctx, service, DefaultSetupUpdate{State: StateConfigured})
	if err != nil || run == nil || !strings.HasPrefix(run.URL, "https://api.octo.ghe.com/") {
		t.Fatalf("UpdateDefaultSetup = %+v, %v", run, err)
	}
	if _, err := c.WaitForRun(ctx, service, *run); err != nil {
		t.Fatalf("WaitForRun on the run_url GHE.com gave: %v", err)
	}
	for _, r := range emu.Requests() {
		if r.Header.Get("Authorization") != "Bearer secret-token" || !strings.HasPrefix(r.Path, "/repos/") {
			t.Fatalf("%s %s with Authorization %q", r.Method, r.Path, r.Header.Get("Authorization"))
		}
	}
}

// A GHES the base URL does not reveal (behind a proxy path) refuses a later API version with a
// 400; the error names the release, told apart as APIVersionUnsupported.
func TestGHESRefusesAnAPIVersionItDoesNotServe(t *testing.T) {
	t.Parallel()
	emu := emulator.New(emulator.Config{EnterpriseVersion: "3.19.1", PathPrefix: "/github-proxy"})
	emu.AddRepository(emulator.Repository{Owner: "octo-org", Name: "service", AdvancedSecurity: true, Languages: []string{"go"}})
	srv := httptest.NewServer(emu.Handler())
	t.Cleanup(srv.Close)
	c, _ := transportClient(t, srv.URL+"/github-proxy/", func(cfg *Config) { cfg.APIVersion = "2026-03-10" })
	_, err := c.GetDefaultSetup(context.Background(), service)
	var apiErr *APIError
	if StatusCode(err) != http.StatusBadRequest || !strings.Contains(err.Error(), "GitHub Enterprise Server 3.19.1 answered 400") ||
		!errors.As(err, &apiErr) || !apiErr.APIVersionUnsupported() || apiErr.ServerVersion != "3.19.1" {
		t.Fatalf("error = %v; want the 400 from 3.19.1, told apart as APIVersionUnsupported", err)
	}
}
