package githubclient

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// Every error of a request names the method and URL called, with the resolved base URL, so a
// wrong base_url is plain to see; never the query, never the token.
func TestErrorsNameTheRequestCalled(t *testing.T) {
	t.Parallel()
	_, base := newFaultyEmulator(t, emulator.Config{})
	c, _ := transportClient(t, base, nil)
	ctx := context.Background()

	_, err := c.GetDefaultSetup(ctx, Repository{Owner: "octo-org", Name: "missing"})
	if want := "(GET " + base + "repos/octo-org/missing/code-scanning/default-setup)"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("404: %v; want it to name %s", err, want)
	}
	_, err = c.ListRepositoryAlerts(ctx, Repository{Owner: "octo-org", Name: "missing"}, AlertFilter{State: "open", Ref: "refs/heads/secret-branch"})
	if want := "(GET " + base + "repos/octo-org/missing/code-scanning/alerts?…)"; err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "secret-branch") {
		t.Errorf("list: %v; want it to name %s, without the query", err, want)
	}
	_, err = c.UpdateDefaultSetup(ctx, Repository{Owner: "octo-org", Name: "missing"}, DefaultSetupUpdate{State: StateConfigured})
	if want := "(PATCH " + base + "repos/octo-org/missing/code-scanning/default-setup)"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("PATCH: %v; want it to name %s", err, want)
	}

	// No answer at all: a port nothing listens on.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/api/v3/"
	_ = ln.Close()
	down, _ := transportClient(t, closed, nil)
	_, err = down.GetDefaultSetup(ctx, service)
	if want := "(GET " + closed + "repos/octo-org/service/code-scanning/default-setup)"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("refused: %v; want it to name %s", err, want)
	}
	if strings.Count(err.Error(), closed) != 1 {
		t.Errorf("refused: %v; want the URL named once", err)
	}
	if strings.Contains(err.Error(), "secret-token") {
		t.Errorf("an error holds the token: %v", err)
	}
}
