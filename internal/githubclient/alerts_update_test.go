package githubclient

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/netsim"
)

func isAlertPatch(r *http.Request) bool {
	return r.Method == http.MethodPatch && strings.Contains(r.URL.Path, "/code-scanning/alerts/")
}

// alertRequests counts the alert PATCHes and GETs the emulator received.
func alertRequests(emu *emulator.Emulator) (patches, gets int) {
	for _, r := range emu.Requests() {
		switch {
		case r.Method == http.MethodPatch && strings.Contains(r.Path, "/code-scanning/alerts/"):
			patches++
		case r.Method == http.MethodGet && strings.Contains(r.Path, "/code-scanning/alerts/"):
			gets++
		}
	}
	return patches, gets
}

// A dismissal GitHub carried out, whose answer the connection lost, is read back, not sent again:
// a second dismissal would be refused as already dismissed.
func TestUpdateAlertWhoseAnswerWasLostIsReadNotResent(t *testing.T) {
	t.Parallel()
	emu, baseURL := newFaultyEmulator(t, emulator.Config{Faults: netsim.Faults{Script: []netsim.Fault{netsim.FaultLostAnswer}, Match: isAlertPatch}})
	number := emu.AddAlert("octo-org", "service", emulator.Alert{State: "open"})
	c, _ := transportClient(t, baseURL, nil)
	reason := "false positive"
	alert, err := c.UpdateAlert(context.Background(), service, number, AlertUpdate{State: AlertDismissed, DismissedReason: &reason})
	if err != nil || alert.State != AlertDismissed || *alert.DismissedReason != reason {
		t.Fatalf("UpdateAlert = %+v, %v; want the dismissal GitHub carried out", alert, err)
	}
	if patches, gets := alertRequests(emu); patches != 1 || gets != 1 {
		t.Fatalf("%d PATCHes and %d GETs; want the PATCH once, then one read", patches, gets)
	}
}

// A PATCH that never reached GitHub (the connection was reset first) is sent again once the
// alert shows it was not carried out.
func TestUpdateAlertThatDidNotReachGitHubIsSentAgain(t *testing.T) {
	t.Parallel()
	emu, baseURL := newFaultyEmulator(t, emulator.Config{Faults: netsim.Faults{Script: []netsim.Fault{netsim.FaultReset}, Match: isAlertPatch}})
	number := emu.AddAlert("octo-org", "service", emulator.Alert{State: "dismissed"})
	c, _ := transportClient(t, baseURL, nil)
	alert, err := c.UpdateAlert(context.Background(), service, number, AlertUpdate{State: AlertOpen})
	if err != nil || alert.State != AlertOpen {
		t.Fatalf("UpdateAlert = %+v, %v; want the alert reopened", alert, err)
	}
	if patches, gets := alertRequests(emu); patches != 2 || gets != 1 {
		t.Fatalf("%d PATCHes and %d GETs; want a read between the two PATCHes", patches, gets)
	}
}

// Where dismissal is delegated, a dismissal request whose answer was lost and that a reviewer
// approved before anything else reached GitHub is not followed by a second dismissal.
func TestUpdateAlertLostDismissalRequestApprovedMeanwhile(t *testing.T) {
	t.Parallel()
	emu, baseURL := newFaultyEmulator(t, emulator.Config{Faults: netsim.Faults{Script: []netsim.Fault{netsim.FaultLostAnswer}, Match: isAlertPatch}})
	emu.UpdateRepository("octo-org", "service", func(r *emulator.Repository) { r.DelegatedDismissal = true })
	number := emu.AddAlert("octo-org", "service", emulator.Alert{State: "open"})
	var patched, approved atomic.Bool
	emu.Intercept(func(_ http.ResponseWriter, r *http.Request) bool {
		if patched.Load() && !approved.Swap(true) {
			emu.ApproveDismissalRequest("octo-org", "service", number, "security-lead")
		}
		if isAlertPatch(r) {
			patched.Store(true)
		}
		return false
	})
	c, _ := transportClient(t, baseURL, nil)
	reason, comment, request := "won't fix", "Accepted risk.", true
	alert, err := c.UpdateAlert(context.Background(), service, number, AlertUpdate{State: AlertDismissed, DismissedReason: &reason, DismissedComment: &comment, CreateRequest: &request})
	if err != nil || alert.State != AlertDismissed {
		t.Fatalf("UpdateAlert = %+v, %v; want the approved dismissal", alert, err)
	}
	if a, _ := emu.Alert("octo-org", "service", number); a.State != "dismissed" || a.DismissalApprovedBy == nil || *a.DismissalApprovedBy != "security-lead" {
		t.Fatalf("alert %+v; want it dismissed as approved by security-lead", a)
	}
	if patches, _ := alertRequests(emu); patches != 1 {
		t.Fatalf("%d PATCHes; want the request sent once", patches)
	}
}

// GHES requires state in an alert PATCH: an update of assignees alone restates the alert's state,
// and a dismissed alert's reason and comment, so the dismissal stays as it was.
func TestUpdateAlertAssigneesOnGHESRestatesTheState(t *testing.T) {
	t.Parallel()
	// Behind a proxy's path the base URL does not say GHES: its 422 for the missing state does.
	for _, server := range []struct{ version, prefix string }{{"3.17.2", "/api/v3"}, {"3.19.0", "/api/v3"}, {"3.19.0", "/ghes-proxy"}} {
		t.Run(server.version+server.prefix, func(t *testing.T) {
			t.Parallel()
			emu := emulator.New(emulator.Config{EnterpriseVersion: server.version, PathPrefix: server.prefix})
			emu.AddRepository(emulator.Repository{Owner: "octo-org", Name: "service", AdvancedSecurity: true, Languages: []string{"go"}})
			srv := httptest.NewServer(emu.Handler())
			t.Cleanup(srv.Close)
			baseURL := srv.URL
			if server.prefix != "/api/v3" {
				baseURL += server.prefix
			}
			c, _ := transportClient(t, baseURL, nil)
			dismissed := emu.AddAlert("octo-org", "service", emulator.Alert{State: "dismissed", DismissedBy: ptrTo("hubot"), DismissedReason: ptrTo("won't fix"), DismissedComment: ptrTo("Legacy.")})
			open := emu.AddAlert("octo-org", "service", emulator.Alert{State: "open"})
			before, _ := emu.Alert("octo-org", "service", dismissed)
			for _, number := range []int{dismissed, open} {
				alert, err := c.UpdateAlert(context.Background(), service, number, AlertUpdate{Assignees: &[]string{"monalisa"}})
				if err != nil || len(alert.Assignees) != 1 || alert.Assignees[0].Login != "monalisa" {
					t.Fatalf("alert %d: UpdateAlert = %+v, %v; want monalisa assigned", number, alert, err)
				}
			}
			after, _ := emu.Alert("octo-org", "service", dismissed)
			if after.State != "dismissed" || *after.DismissedBy != "hubot" || !after.DismissedAt.Equal(*before.DismissedAt) || *after.DismissedComment != "Legacy." {
				t.Fatalf("dismissal after an assignee change: %+v; want hubot's kept", after)
			}
			if server.prefix != "/api/v3" {
				return // its first PATCH of each went without state, and was refused
			}
			for _, r := range emu.Requests() {
				var body map[string]any
				if r.Method == http.MethodPatch && (json.Unmarshal(r.Body, &body) != nil || body["state"] == nil) {
					t.Errorf("PATCH %s without state: %s", r.Path, r.Body)
				}
			}
		})
	}
}

// github.com takes assignees alone: no state is sent, and nothing read first.
func TestUpdateAlertAssigneesOnGitHubSendsNoState(t *testing.T) {
	t.Parallel()
	c, emu := newTestClient(t, emulator.Config{})
	number := emu.AddAlert("octo-org", "service", emulator.Alert{State: "dismissed"})
	emu.ResetRequests()
	if _, err := c.UpdateAlert(context.Background(), service, number, AlertUpdate{Assignees: &[]string{"monalisa"}}); err != nil {
		t.Fatal(err)
	}
	reqs := emu.Requests()
	if len(reqs) != 1 || string(reqs[0].Body) != `{"assignees":["monalisa"]}`+"\n" {
		t.Fatalf("requests %+v; want one PATCH of assignees alone", reqs)
	}
}

func ptrTo[T any](v T) *T { return &v }
