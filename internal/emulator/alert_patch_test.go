package emulator

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// patchAlert sends a PATCH for alert number and returns the alert it answers with, failing the
// test unless the answer is 200.
func (a *testAPI) patchAlert(number int, body string) map[string]any {
	a.t.Helper()
	got := a.do("PATCH", alertPath(number), body)
	if got.status != http.StatusOK {
		a.t.Fatalf("PATCH alert %d %s: status %d; body %s", number, body, got.status, got.body)
	}
	return got.object(a.t)
}

func TestDismissAlert(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{Logins: map[string]string{testToken: "hubot"}}, scanned("app"))
	clock := a.useFakeClock()
	addAlertFixture(t, a.emu)
	comment := strings.Repeat("é", maxDismissedComment) // the limit counts characters, not bytes
	got := a.patchAlert(1, `{"state":"dismissed","dismissed_reason":"used in tests","dismissed_comment":"`+comment+`"}`)
	now := clock.Now().Format(time.RFC3339)
	by, _ := got["dismissed_by"].(map[string]any)
	if got["state"] != "dismissed" || by["login"] != "hubot" || got["dismissed_at"] != now ||
		got["dismissed_reason"] != "used in tests" || got["dismissed_comment"] != comment || got["updated_at"] != now {
		t.Errorf("dismissed alert: %v", got)
	}
	if again := a.getAlert(1); !reflect.DeepEqual(again, got) {
		t.Errorf("GET after PATCH differs from the PATCH answer:\n%v\n%v", again, got)
	}
	if mri, _ := got["most_recent_instance"].(map[string]any); mri["state"] != "dismissed" {
		t.Errorf("most_recent_instance.state = %v", mri["state"])
	}
}

// Every OpenAPI description's PATCH body takes "mitigated", and its alert shows it.
func TestDismissAlertAsMitigated(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	addAlertFixture(t, a.emu)
	got := a.patchAlert(1, `{"state":"dismissed","dismissed_reason":"mitigated"}`)
	if got["state"] != "dismissed" || got["dismissed_reason"] != "mitigated" {
		t.Errorf("dismissed as mitigated: %v", got)
	}
	if again := a.getAlert(1); again["dismissed_reason"] != "mitigated" {
		t.Errorf("GET shows dismissed_reason %v", again["dismissed_reason"])
	}
}

func TestReopenAlertClearsTheDismissal(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	clock := a.useFakeClock()
	addAlertFixture(t, a.emu)
	a.emu.UpdateAlert("octo-org", "app", 3, func(al *Alert) {
		al.DismissedComment, al.DismissalApprovedBy = ptr("approved"), ptr("monalisa")
	})
	clock.Advance(time.Hour)
	got := a.patchAlert(3, `{"state":"open","dismissed_reason":"won't fix"}`)
	for _, k := range []string{"dismissed_by", "dismissed_at", "dismissed_reason", "dismissed_comment", "dismissal_approved_by"} {
		if got[k] != nil {
			t.Errorf("%s = %v after reopening", k, got[k])
		}
	}
	if got["state"] != "open" || got["updated_at"] != clock.Now().Format(time.RFC3339) {
		t.Errorf("reopened alert: %v", got)
	}

	// Reopening an open alert changes nothing, not even updated_at.
	clock.Advance(time.Hour)
	before := a.getAlert(1)
	if after := a.patchAlert(1, `{"state":"open"}`); !reflect.DeepEqual(before, after) {
		t.Errorf("no-op PATCH changed the alert:\n%v\n%v", before, after)
	}
}

func TestPatchAlertRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		cfg         Config
		repo        Repository
		number      int
		body        string
		wantStatus  int
		wantMessage string // in full, or a prefix ending in "…"
	}{
		{name: "dismiss without a reason", number: 1, body: `{"state":"dismissed"}`, wantStatus: 422,
			wantMessage: "Invalid request.\n\ndismissed_reason is required when state is \"dismissed\"; " +
				`it must be one of ["false positive", "won't fix", "used in tests", "mitigated"].`},
		{name: "dismiss with a null reason", number: 1, body: `{"state":"dismissed","dismissed_reason":null}`,
			wantStatus: 422, wantMessage: "Invalid request.\n\ndismissed_reason is required…"},
		{name: "reason spelt with an underscore", number: 1,
			body: `{"state":"dismissed","dismissed_reason":"false_positive"}`, wantStatus: 422,
			wantMessage: "Invalid request.\n\nFor 'properties/dismissed_reason', \"false_positive\" is not one of " +
				`["false positive", "won't fix", "used in tests", "mitigated"].`},
		{name: "comment too long", number: 1,
			body:       `{"state":"dismissed","dismissed_reason":"won't fix","dismissed_comment":"` + strings.Repeat("x", 281) + `"}`,
			wantStatus: 422, wantMessage: "Invalid request.\n\nFor 'properties/dismissed_comment', the comment is 281 " +
				"characters long; the maximum is 280."},
		{name: "state fixed", number: 1, body: `{"state":"fixed"}`, wantStatus: 422,
			wantMessage: "Invalid request.\n\nFor 'properties/state', \"fixed\" is not one of [\"open\", \"dismissed\"]."},
		{name: "neither state nor assignees", number: 1, body: `{"dismissed_comment":"x"}`, wantStatus: 422,
			wantMessage: "Invalid request.\n\nNo subschema in \"anyOf\" matched…"},
		{name: "assignees not a list", number: 1, body: `{"assignees":"hubot"}`, wantStatus: 422,
			wantMessage: "Invalid request.\n\nFor 'properties/assignees', \"hubot\" is not an array of strings."},
		{name: "create_request not a boolean", number: 1, body: `{"state":"open","create_request":"yes"}`,
			wantStatus: 422, wantMessage: "Invalid request.\n\nFor 'properties/create_request', \"yes\" is not a boolean."},
		{name: "not an object", number: 1, body: `["state"]`, wantStatus: 422,
			wantMessage: "Invalid request.\n\nFor 'links/0/schema', [\"state\"] is not an object."},
		{name: "malformed", number: 1, body: `{"state":`, wantStatus: 400, wantMessage: msgProblemsParsingJSON},
		{name: "dismiss a fixed alert", number: 2, body: `{"state":"dismissed","dismissed_reason":"won't fix"}`,
			wantStatus: 400, wantMessage: msgAlertFixed},
		{name: "reopen a fixed alert", number: 2, body: `{"state":"open"}`, wantStatus: 400, wantMessage: msgAlertFixed},
		{name: "dismiss a dismissed alert", number: 3, body: `{"state":"dismissed","dismissed_reason":"false positive"}`,
			wantStatus: 409, wantMessage: msgAlertAlreadyDismissed},
		{name: "dismiss a dismissed alert, answered 400", cfg: Config{AlreadyDismissedStatus: 400}, number: 3,
			body: `{"state":"dismissed","dismissed_reason":"false positive"}`, wantStatus: 400, wantMessage: msgAlertAlreadyDismissed},
		{name: "restate a dismissal on github.com", number: 3, body: `{"state":"dismissed","dismissed_reason":"won't fix"}`,
			wantStatus: 409, wantMessage: msgAlertAlreadyDismissed},
		{name: "GHES: assignees without state", cfg: Config{EnterpriseVersion: "3.19.0"}, number: 1,
			body: `{"assignees":["hubot"]}`, wantStatus: 422, wantMessage: "Invalid request.\n\n\"state\" wasn't supplied."},
		{name: "GHES 3.17: assignees without state", cfg: Config{EnterpriseVersion: "3.17.2"}, number: 1,
			body: `{"assignees":["hubot"]}`, wantStatus: 422, wantMessage: "Invalid request.\n\n\"state\" wasn't supplied."},
		{name: "GHES: a new reason for a dismissed alert", cfg: Config{EnterpriseVersion: "3.19.0"}, number: 3,
			body: `{"state":"dismissed","dismissed_reason":"false positive"}`, wantStatus: 409, wantMessage: msgAlertAlreadyDismissed},
		{name: "assign someone who is not a collaborator", number: 1,
			repo: Repository{Owner: "octo-org", Name: "app", AdvancedSecurity: true, Collaborators: []string{"octocat"}},
			body: `{"assignees":["OctoCat","hubot"]}`, wantStatus: 422,
			wantMessage: "Invalid request.\n\nFor 'assignees', \"hubot\" cannot be assigned: " +
				"they are not a collaborator on octo-org/app."},
		{name: "delegated dismissal without a request", number: 1,
			repo:       Repository{Owner: "octo-org", Name: "app", AdvancedSecurity: true, DelegatedDismissal: true},
			body:       `{"state":"dismissed","dismissed_reason":"won't fix","dismissed_comment":"why"}`,
			wantStatus: 400, wantMessage: msgDelegatedDismissal},
		{name: "delegated dismissal without a comment", number: 1,
			repo:       Repository{Owner: "octo-org", Name: "app", AdvancedSecurity: true, DelegatedDismissal: true},
			body:       `{"state":"dismissed","dismissed_reason":"won't fix","create_request":true}`,
			wantStatus: 400, wantMessage: msgDismissalCommentInvalid},
		{name: "archived", number: 1, repo: Repository{Owner: "octo-org", Name: "app", AdvancedSecurity: true, Archived: true},
			body: `{"state":"open"}`, wantStatus: 403, wantMessage: msgArchived},
		{name: "Advanced Security off", number: 1, repo: Repository{Owner: "octo-org", Name: "app"},
			body: `{"state":"open"}`, wantStatus: 403, wantMessage: msgAdvancedSecurityDisabled},
		{name: "unknown alert", number: 99, body: `{"state":"open"}`, wantStatus: 404, wantMessage: msgNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			repo := tt.repo
			if repo.Name == "" {
				repo = scanned("app")
			}
			a := newTestAPI(t, tt.cfg, repo)
			addAlertFixture(t, a.emu)
			before, _ := a.emu.Alert("octo-org", "app", tt.number)
			got := a.do("PATCH", alertPath(tt.number), tt.body)
			if prefix, ok := strings.CutSuffix(tt.wantMessage, "…"); ok {
				msg, _ := got.object(t)["message"].(string)
				if got.status != tt.wantStatus || !strings.HasPrefix(msg, prefix) {
					t.Errorf("status %d, message %q; want %d, %q…", got.status, msg, tt.wantStatus, prefix)
				}
			} else {
				got.expectError(t, tt.wantStatus, tt.wantMessage)
			}
			if after, _ := a.emu.Alert("octo-org", "app", tt.number); !reflect.DeepEqual(before, after) {
				t.Errorf("a refused PATCH changed the alert:\n%+v\n%+v", before, after)
			}
		})
	}
}

// GHES requires state in every alert PATCH, so an assignee change restates it; a dismissal
// restated with its own reason and comment is kept, dismisser and date included.
func TestGHESAssigneesOfADismissedAlert(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{EnterpriseVersion: "3.19.0", Logins: map[string]string{testToken: "hubot"}}, scanned("app"))
	addAlertFixture(t, a.emu)
	before := a.getAlert(3)
	got := a.patchAlert(3, fmt.Sprintf(`{"state":"dismissed","dismissed_reason":%q,"assignees":["monalisa"]}`, before["dismissed_reason"]))
	for _, k := range []string{"state", "dismissed_by", "dismissed_at", "dismissed_reason", "dismissed_comment"} {
		if !reflect.DeepEqual(got[k], before[k]) {
			t.Errorf("%s = %v after an assignee change; was %v", k, got[k], before[k])
		}
	}
	if users, _ := got["assignees"].([]any); len(users) != 1 {
		t.Errorf("assignees = %v", got["assignees"])
	}
	if open := a.patchAlert(1, `{"state":"open","assignees":["monalisa"]}`); open["state"] != "open" {
		t.Errorf("open alert restated: %v", open)
	}
}

func TestRedismissWhenAllowed(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{AllowRedismiss: true}, scanned("app"))
	addAlertFixture(t, a.emu)
	got := a.patchAlert(3, `{"state":"dismissed","dismissed_reason":"false positive","dismissed_comment":"again"}`)
	if got["dismissed_reason"] != "false positive" || got["dismissed_comment"] != "again" {
		t.Errorf("re-dismissed alert: %v", got)
	}
}

func TestPatchAlertAssignees(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, Repository{Owner: "octo-org", Name: "app", AdvancedSecurity: true,
		Collaborators: []string{"octocat", "Hubot", "monalisa"}})
	clock := a.useFakeClock()
	addAlertFixture(t, a.emu)
	logins := func(v any) []string {
		var out []string
		items, _ := v.([]any)
		for _, item := range items {
			u, _ := item.(map[string]any)
			login, _ := u["login"].(string)
			out = append(out, login)
		}
		return out
	}
	// The list is replaced, repeats (in any case) dropped; a fixed alert can still be assigned.
	got := a.patchAlert(2, `{"assignees":["hubot","HUBOT","monalisa"]}`)
	if l := logins(got["assignees"]); !reflect.DeepEqual(l, []string{"hubot", "monalisa"}) {
		t.Errorf("assignees = %v", l)
	}
	if got["state"] != "fixed" || got["updated_at"] != clock.Now().Format(time.RFC3339) {
		t.Errorf("assigned fixed alert: %v", got)
	}
	// Assignees and a dismissal in one request; then an empty list unassigns everyone.
	got = a.patchAlert(1, `{"assignees":["monalisa"],"state":"dismissed","dismissed_reason":"won't fix"}`)
	if l := logins(got["assignees"]); got["state"] != "dismissed" || !reflect.DeepEqual(l, []string{"monalisa"}) {
		t.Errorf("state %v, assignees %v", got["state"], l)
	}
	if got := a.patchAlert(1, `{"assignees":[]}`); len(logins(got["assignees"])) != 0 {
		t.Errorf("assignees after unassigning: %v", got["assignees"])
	}
}

func TestDelegatedDismissal(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{Logins: map[string]string{testToken: "hubot"}},
		Repository{Owner: "octo-org", Name: "app", AdvancedSecurity: true, DelegatedDismissal: true})
	clock := a.useFakeClock()
	addAlertFixture(t, a.emu)

	// The request is recorded and the alert stays open, as GitHub answers.
	got := a.patchAlert(1, `{"state":"dismissed","dismissed_reason":"false positive",
		"dismissed_comment":"sanitised upstream","create_request":true}`)
	if got["state"] != "open" || got["dismissed_by"] != nil {
		t.Errorf("after requesting dismissal: %v", got)
	}
	al, _ := a.emu.Alert("octo-org", "app", 1)
	want := &DismissalRequest{Reason: "false positive", Comment: "sanitised upstream", RequestedBy: "hubot",
		RequestedAt: clock.Now()}
	if !reflect.DeepEqual(al.DismissalRequest, want) {
		t.Errorf("dismissal request = %+v, want %+v", al.DismissalRequest, want)
	}

	clock.Advance(time.Hour)
	if !a.emu.ApproveDismissalRequest("octo-org", "app", 1, "monalisa") {
		t.Fatal("no request to approve")
	}
	got = a.getAlert(1)
	by, _ := got["dismissed_by"].(map[string]any)
	approver, _ := got["dismissal_approved_by"].(map[string]any)
	if got["state"] != "dismissed" || by["login"] != "hubot" || approver["login"] != "monalisa" ||
		got["dismissed_comment"] != "sanitised upstream" || got["dismissed_at"] != clock.Now().Format(time.RFC3339) {
		t.Errorf("after approval: %v", got)
	}
	if a.emu.ApproveDismissalRequest("octo-org", "app", 1, "monalisa") {
		t.Error("a request was approved twice")
	}
}
