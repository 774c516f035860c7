package githubclient

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// elsewhere is a server on another host that answers as GitHub would, and counts what reaches it.
func elsewhere(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var reached atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		reached.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"state":"configured","languages":["go"],"query_suite":"extended","run_id":1,"run_url":"https://example.invalid/"}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &reached
}

// An answer that redirects to another host is refused, before anything is sent there: its
// content would otherwise be taken for GitHub's (a GET's state, a run's status), and a PATCH
// body forwarded to it.
func TestRedirectsToAnotherHostAreRefused(t *testing.T) {
	t.Parallel()
	for _, method := range []string{http.MethodGet, http.MethodPatch} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			other, reached := elsewhere(t)
			emu, base := newFaultyEmulator(t, emulator.Config{})
			emu.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
				http.Redirect(w, r, other.URL+"/repos/octo-org/service/code-scanning/default-setup?X-Amz-Signature=secret", http.StatusTemporaryRedirect)
				return true
			})
			c, _ := transportClient(t, base, nil)
			var err error
			if method == http.MethodGet {
				_, err = c.GetDefaultSetup(context.Background(), service)
			} else {
				_, err = c.UpdateDefaultSetup(context.Background(), service, DefaultSetupUpdate{State: StateConfigured})
			}
			var redirect *RedirectError
			if !errors.As(err, &redirect) || redirect.Host != other.URL {
				t.Fatalf("error = %v; want a *RedirectError naming %s", err, other.URL)
			}
			if !strings.Contains(err.Error(), other.URL) || strings.Contains(err.Error(), "secret") {
				t.Fatalf("error %q: want the host named, and no part of the URL's query", err)
			}
			if n := reached.Load(); n != 0 {
				t.Fatalf("%d requests reached the other host", n)
			}
		})
	}
}

// GitHub's own redirects, on the API host (a renamed repository), are followed.
func TestRedirectsWithinTheAPIHostAreFollowed(t *testing.T) {
	t.Parallel()
	emu, base := newFaultyEmulator(t, emulator.Config{})
	emu.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		if strings.Contains(r.URL.Path, "/repos/octo-org/old-name/") {
			http.Redirect(w, r, strings.Replace(r.URL.String(), "old-name", "service", 1), http.StatusMovedPermanently)
			return true
		}
		return false
	})
	c, _ := transportClient(t, base, nil)
	ds, err := c.GetDefaultSetup(context.Background(), Repository{Owner: "octo-org", Name: "old-name"})
	if err != nil || ds.State != StateNotConfigured {
		t.Fatalf("GetDefaultSetup through a same-host redirect = %+v, %v", ds, err)
	}
}
