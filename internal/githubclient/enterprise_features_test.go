package githubclient

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// ghesClient is a client for an emulated GHES of release version. Served under /api/v3 at a
// host-only base URL the client knows it is GHES; under another prefix it learns it only from
// the server's answers.
func ghesClient(t *testing.T, version, prefix string, repo emulator.Repository) (*Client, *emulator.Emulator) {
	t.Helper()
	emu := emulator.New(emulator.Config{EnterpriseVersion: version, PathPrefix: prefix})
	emu.AddRepository(repo)
	srv := httptest.NewServer(emu.Handler())
	t.Cleanup(srv.Close)
	base := srv.URL + prefix + "/"
	if prefix == "/api/v3" {
		base = srv.URL
	}
	c, _ := transportClient(t, base, nil)
	return c, emu
}

var scannedService = emulator.Repository{Owner: "octo-org", Name: "service", AdvancedSecurity: true, Languages: []string{"go"}}

func unavailable(err error) *UnavailableError {
	var u *UnavailableError
	if errors.As(err, &u) {
		return u
	}
	return nil
}

// No GHES release has the CodeQL database API. Its 404 is not "no such database" but an error
// naming the release; once the release is known, the client does not ask again.
func TestCodeQLDatabasesOnGHESNameTheRelease(t *testing.T) {
	t.Parallel()
	for _, prefix := range []string{"/api/v3", "/github-proxy"} {
		c, emu := ghesClient(t, "3.19.1", prefix, scannedService)
		emu.AddCodeQLDatabase("octo-org", "service", emulator.CodeQLDatabase{Language: "go"})
		ctx := context.Background()
		_, err := c.GetCodeQLDatabase(ctx, service, "go")
		want := "read the go CodeQL database of octo-org/service: GitHub Enterprise Server 3.19.1 has no CodeQL database API: " +
			"no GitHub Enterprise Server release up to 3.19 has it; github.com and GHE.com do"
		wantURL := " (GET " + c.BaseURL() + "repos/octo-org/service/code-scanning/codeql/databases/go answered 404)"
		if u := unavailable(err); u == nil || u.Feature != FeatureCodeQLDatabases || err.Error() != want+wantURL || IsNotFound(err) {
			t.Fatalf("%s: error = %v; want %q", prefix, err, want+wantURL)
		}
		sent := len(emu.Requests())
		if _, err := c.ListCodeQLDatabases(ctx, service); unavailable(err) == nil ||
			!strings.HasSuffix(err.Error(), "GitHub Enterprise Server 3.19.1 has no CodeQL database API: no GitHub Enterprise Server release up to 3.19 has it; github.com and GHE.com do (not sent)") {
			t.Fatalf("%s: list error = %v", prefix, err)
		}
		if len(emu.Requests()) != sent {
			t.Errorf("%s: the client asked for CodeQL databases again after GHES named its release", prefix)
		}
	}
}

// github.com's 404 for a language without a database stays a 404.
func TestCodeQLDatabaseMissingOnGitHubIsNotFound(t *testing.T) {
	t.Parallel()
	c, _ := ghesClient(t, "", "/api-v3", scannedService)
	if _, err := c.GetCodeQLDatabase(context.Background(), service, "ruby"); !IsNotFound(err) || unavailable(err) != nil {
		t.Fatalf("error = %v; want GitHub's 404", err)
	}
}

// GHES 3.17 has no create_request and would ignore it, dismissing the alert outright. The
// client refuses before the PATCH, naming the release, even as its first request (it reads the
// alert first to learn the release); 3.19 and github.com make the request.
func TestDismissalRequestNeedsGHES319(t *testing.T) {
	t.Parallel()
	dismiss := AlertUpdate{State: AlertDismissed, DismissedReason: ptr("false positive"), DismissedComment: ptr("sanitised"), CreateRequest: ptr(true)}
	delegated := scannedService
	delegated.DelegatedDismissal = true
	for _, tt := range []struct {
		version, prefix string
		repo            emulator.Repository
		refused         bool
	}{
		{"3.17.2", "/github-proxy", delegated, true},
		{"3.17.2", "/api/v3", delegated, true},
		{"3.17.2", "/api/v3", scannedService, true}, // sent, the alert would be dismissed outright
		{"3.19.1", "/api/v3", delegated, false},
		{"", "/api-v3", delegated, false},
	} {
		c, emu := ghesClient(t, tt.version, tt.prefix, tt.repo)
		number := emu.AddAlert("octo-org", "service", emulator.Alert{State: "open",
			Rule: emulator.AlertRule{ID: "go/sql-injection", Severity: "error"}, Tool: emulator.AlertTool{Name: "CodeQL"},
			Instances: []emulator.AlertInstance{{Ref: "refs/heads/main", Path: "main.go"}}})
		_, err := c.UpdateAlert(context.Background(), service, number, dismiss)
		al, _ := emu.Alert("octo-org", "service", number)
		for _, r := range emu.Requests() {
			if tt.refused && r.Method == "PATCH" {
				t.Errorf("%s%s: the PATCH was sent", tt.version, tt.prefix)
			}
		}
		if !tt.refused {
			if err != nil || al.DismissalRequest == nil {
				t.Errorf("%q: error %v, request %+v; want a dismissal request", tt.version, err, al.DismissalRequest)
			}
			continue
		}
		want := "request dismissal of code scanning alert 1 of octo-org/service: GitHub Enterprise Server 3.17.2 has no " +
			"alert dismissal requests (create_request): GitHub Enterprise Server has it from 3.19 (not sent)"
		if u := unavailable(err); u == nil || u.Feature != FeatureDismissalRequests || err.Error() != want || al.State != "open" {
			t.Errorf("%s%s: error = %v, alert %s; want %q and the alert untouched", tt.version, tt.prefix, err, al.State, want)
		}
	}
}

func ptr[T any](v T) *T { return &v }
