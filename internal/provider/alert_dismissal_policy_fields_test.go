package provider

import (
	"reflect"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// richAlert is an alert with every field a list shows set, for what policyFields drops.
func richAlert(number int, state, ruleID, tool, path string, reason, comment *string) githubclient.Alert {
	now := time.Now()
	a := githubclient.Alert{
		Number: number, State: state, CreatedAt: &now, UpdatedAt: &now, HTMLURL: "https://github.example/a",
		DismissedReason: reason, DismissedComment: comment, DismissedAt: &now, DismissedBy: &githubclient.User{Login: "octocat"},
		Rule:      githubclient.AlertRule{ID: &ruleID, Name: "rule", Severity: ptr("error"), Description: "d", Tags: []string{"security"}},
		Tool:      githubclient.AlertTool{Name: &tool, Version: ptr("2.0"), GUID: ptr("guid")},
		Assignees: []githubclient.User{{Login: "hubot"}},
		Repository: &struct {
			FullName string `json:"full_name"`
		}{FullName: "octo-org/service"},
	}
	a.MostRecentInstance.Ref = "refs/heads/main"
	a.MostRecentInstance.Message.Text = "a message"
	a.MostRecentInstance.Location.Path = path
	return a
}

// What a policy decides from its lists is the same whether they hold whole alerts or only
// policyFields: a field the policy reads and policyFields drops fails this test.
func TestPolicyFieldsKeepWhatAPolicyReads(t *testing.T) {
	t.Parallel()
	marker, other := ptr(policyComment("Fixtures.", "tests")), ptr(policyComment("", "vendored"))
	open := []githubclient.Alert{
		richAlert(1, "open", "go/sql-injection", "CodeQL", "test/a.go", nil, nil),
		richAlert(2, "open", "js/xss", "CodeQL", "src/b.js", nil, nil),
		richAlert(3, "open", "go/x", "Semgrep", "test/c.go", nil, nil),
	}
	dismissed := []githubclient.Alert{
		richAlert(4, "dismissed", "go/x", "CodeQL", "test/d.go", ptr("used in tests"), marker),
		richAlert(5, "dismissed", "go/x", "CodeQL", "test/e.go", ptr("won't fix"), ptr("A person's call.")),
		richAlert(6, "dismissed", "js/y", "CodeQL", "src/f.js", ptr("false positive"), other),
	}
	whole, slim := policyView{}, policyView{}
	for _, a := range open {
		whole.open = append(whole.open, listedAlert{repo: "octo-org/service", alert: a})
		slim.open = append(slim.open, listedAlert{repo: "octo-org/service", alert: policyFields(a)})
	}
	for _, a := range dismissed {
		whole.dismissed = append(whole.dismissed, listedAlert{repo: "octo-org/service", alert: a})
		slim.dismissed = append(slim.dismissed, listedAlert{repo: "octo-org/service", alert: policyFields(a)})
	}
	prior := policyOutcome{dismissed: alertNumbers{"octo-org/service": {1, 4}}, reopened: alertNumbers{}}
	for _, s := range []policySettings{
		{name: "tests", match: policyMatch{paths: []string{"test/**"}}},
		{name: "tests", match: policyMatch{ruleIDs: []string{"go/*"}, toolName: "CodeQL"}},
		{name: "vendored", match: policyMatch{ruleIDs: []string{"js/*"}}, dismissReopened: true},
	} {
		for what, got := range map[string][2]any{
			"evaluate":           {s.evaluate(whole, prior), s.evaluate(slim, prior)},
			"plannedFrom":        {s.plannedFrom(whole, prior, false), s.plannedFrom(slim, prior, false)},
			"plannedFrom create": {s.plannedFrom(whole, policyOutcome{}, true), s.plannedFrom(slim, policyOutcome{}, true)},
		} {
			if !reflect.DeepEqual(got[0], got[1]) {
				t.Errorf("%s for %+v: %+v from whole alerts, %+v from policyFields", what, s, got[0], got[1])
			}
		}
		wr, wc := importedDismissal(whole, s.name)
		sr, sc := importedDismissal(slim, s.name)
		if !wr.Equal(sr) || !wc.Equal(sc) {
			t.Errorf("importedDismissal(%q): %v %v from whole alerts, %v %v from policyFields", s.name, wr, wc, sr, sc)
		}
		for i := range dismissed {
			if ownDismissal(&whole.dismissed[i].alert, s.name, "used in tests") != ownDismissal(&slim.dismissed[i].alert, s.name, "used in tests") {
				t.Errorf("ownDismissal of alert %d for %q differs", dismissed[i].Number, s.name)
			}
		}
	}
	if got := slim.open[0].alert; got.Rule.Description != "" || got.MostRecentInstance.Message.Text != "" || got.Repository != nil {
		t.Fatalf("policyFields kept %+v; it should keep only what a policy reads", got)
	}
}
