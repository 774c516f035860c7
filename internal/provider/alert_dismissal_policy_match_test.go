package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// policyAlert is an alert of octo-org/service as a list shows it.
func policyAlert(number int, state, ruleID, tool, path string, comment *string) listedAlert {
	a := githubclient.Alert{Number: number, State: state, Rule: githubclient.AlertRule{ID: &ruleID}, Tool: githubclient.AlertTool{Name: &tool}}
	a.MostRecentInstance.Location.Path = path
	if state == githubclient.AlertDismissed {
		a.DismissedReason, a.DismissedComment = ptr("used in tests"), comment
	}
	return listedAlert{repo: "octo-org/service", alert: a}
}

func TestPolicyMatchNeedsEveryGivenCriterion(t *testing.T) {
	t.Parallel()
	m := policyMatch{ruleIDs: []string{"js/*", "go/sql-injection"}, paths: []string{"test/**", "**/vendor/**"}, toolName: "CodeQL"}
	for _, tc := range []struct {
		rule, tool, path string
		want             bool
	}{
		{"js/xss", "CodeQL", "test/a/b.js", true},
		{"go/sql-injection", "CodeQL", "src/vendor/x/y.go", true},
		{"js/xss", "CodeQL", "src/app.js", false},                // path fails
		{"js/a/b", "CodeQL", "test/a.js", false},                 // * stays within a segment
		{"py/unused", "CodeQL", "test/a.py", false},              // rule fails
		{"js/xss", "Semgrep OSS", "test/a.js", false},            // a server that ignored tool_name
		{"go/sql-injection", "CodeQL", "vendorized/x.go", false}, // a whole segment named vendor
	} {
		a := policyAlert(1, "open", tc.rule, tc.tool, tc.path, nil)
		if got := m.matches(&a.alert); got != tc.want {
			t.Errorf("matches(%s %s %s) = %v, want %v", tc.rule, tc.tool, tc.path, got, tc.want)
		}
	}
	imported := policyAlert(1, "open", "js/xss", "CodeQL", "a.js", nil)
	if (policyMatch{ref: "refs/heads/main"}).matches(&imported.alert) {
		t.Error("a policy that names nothing to match (an imported one) matched an alert")
	}
}

func TestPolicyDismissalIsToldApartByItsMarkerAndReason(t *testing.T) {
	t.Parallel()
	dismissed := func(reason, comment string) *githubclient.Alert {
		return &githubclient.Alert{State: githubclient.AlertDismissed, DismissedReason: &reason, DismissedComment: &comment}
	}
	ours := policyComment("Test code.", "tests")
	if ours != "Test code. [tf-policy:tests]" || policyComment("", "tests") != "[tf-policy:tests]" {
		t.Fatalf("policyComment gives %q", ours)
	}
	for _, tc := range []struct {
		alert      *githubclient.Alert
		marked     bool
		reopenable bool
	}{
		{dismissed("used in tests", ours), true, true},
		{dismissed("false positive", ours), true, false},                            // reason changed by someone
		{dismissed("used in tests", "Checked by hand."), false, false},              // a person's dismissal
		{dismissed("used in tests", "x [tf-policy:tests-2]"), false, false},         // another policy's
		{dismissed("used in tests", "[tf-policy:tests] then edited"), false, false}, // the marker must end it
		{&githubclient.Alert{State: githubclient.AlertOpen}, false, false},
	} {
		if got := dismissedByPolicy(tc.alert, "tests"); got != tc.marked {
			t.Errorf("dismissedByPolicy(%q) = %v, want %v", derefString(tc.alert.DismissedComment), got, tc.marked)
		}
		if got := ownDismissal(tc.alert, "tests", "used in tests"); got != tc.reopenable {
			t.Errorf("ownDismissal(%q, %q) = %v, want %v", derefString(tc.alert.DismissedReason), derefString(tc.alert.DismissedComment), got, tc.reopenable)
		}
	}
	if got := maxPolicyComment("tests"); got != 280-len("[tf-policy:tests]")-1 {
		t.Errorf("maxPolicyComment = %d", got)
	}
}

func TestPolicyOutcomeKeepsPersonsDecisions(t *testing.T) {
	t.Parallel()
	marker := ptr(policyComment("", "tests"))
	s := policySettings{name: "tests", match: policyMatch{paths: []string{"test/**"}}}
	view := policyView{
		open: []listedAlert{
			policyAlert(1, "open", "go/x", "CodeQL", "test/a.go", nil), // new: pending
			policyAlert(2, "open", "go/x", "CodeQL", "test/b.go", nil), // dismissed by the policy, reopened by a person
			policyAlert(3, "open", "go/x", "CodeQL", "src/c.go", nil),  // does not match
		},
		dismissed: []listedAlert{
			policyAlert(4, "dismissed", "go/x", "CodeQL", "test/d.go", marker),              // the policy's
			policyAlert(5, "dismissed", "go/x", "CodeQL", "test/e.go", ptr("Known issue.")), // a person's
			policyAlert(6, "dismissed", "go/x", "CodeQL", "src/f.go", marker),               // the policy's, no longer matching
		},
	}
	prior := policyOutcome{dismissed: alertNumbers{"octo-org/service": {2, 4, 6}}, reopened: alertNumbers{}}

	refreshed := s.evaluate(view, prior)
	fromState := refreshed.planned(false)
	changed := s.plannedFrom(view, prior, false)
	created := s.plannedFrom(view, policyOutcome{}, true)
	withReopened := refreshed.planned(true)

	for _, tc := range []struct {
		what string
		got  alertNumbers
		want string
	}{
		{"refreshed pending", refreshed.pending, "octo-org/service #1"},
		{"refreshed dismissed (all the policy's, matching or not)", refreshed.dismissed, "octo-org/service #4, #6"},
		{"refreshed reopened", refreshed.reopened, "octo-org/service #2"},
		{"planned from the state: pending", fromState.pending, "octo-org/service #1"},
		{"planned from the state: dismissed", fromState.dismissed, "octo-org/service #1, #4, #6"},
		{"planned from the state: reopened", fromState.reopened, "octo-org/service #2"},
		{"a changed match: pending", changed.pending, "octo-org/service #1"},
		{"a changed match: dismissed (6 leaves: apply reopens it)", changed.dismissed, "octo-org/service #1, #4"},
		{"a changed match: reopened", changed.reopened, "octo-org/service #2"},
		{"a create: pending (its marked dismissals too)", created.pending, "octo-org/service #1, #2, #4"},
		{"a create: dismissed", created.dismissed, "octo-org/service #1, #2, #4"},
		{"dismiss_reopened: pending", withReopened.pending, "octo-org/service #1, #2"},
		{"dismiss_reopened: reopened", withReopened.reopened, ""},
		{"dismiss_reopened: dismissed", withReopened.dismissed, "octo-org/service #1, #2, #4, #6"},
	} {
		if got := tc.got.String(); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.what, got, tc.want)
		}
	}
}

func TestParsePolicyIDReadsWhatPolicyIDWrites(t *testing.T) {
	t.Parallel()
	for _, scope := range []policyScope{{repo: githubclient.Repository{Owner: "octo-org", Name: "service"}}, {org: "octo-org"}} {
		id := policyID(scope, "tests-and-vendor")
		repo, org, name, err := parsePolicyID(id)
		if err != nil || name != "tests-and-vendor" || repo+org != scope.String() || (repo != "") != (scope.org == "") {
			t.Errorf("parsePolicyID(%q) = %q, %q, %q, %v", id, repo, org, name, err)
		}
	}
	for _, bad := range []string{"octo-org/service", "octo-org:", ":name", "octo-org/service:bad name", "bad owner!/x:name"} {
		if _, _, _, err := parsePolicyID(bad); err == nil {
			t.Errorf("parsePolicyID(%q) accepted it", bad)
		}
	}
}

func TestAlertNumbersSetOperations(t *testing.T) {
	t.Parallel()
	a := alertNumbers{"o/a": {1, 2, 3}, "o/b": {7}}
	b := alertNumbers{"o/a": {2}, "o/b": {7, 8}}
	if got := a.minus(b).String(); got != "o/a #1, #3" {
		t.Errorf("minus = %q", got)
	}
	if got := a.intersect(b).String(); got != "o/a #2; o/b #7" {
		t.Errorf("intersect = %q", got)
	}
	var seen []string
	for repo, number := range each(a) {
		seen = append(seen, fmt.Sprintf("%s#%d", repo, number))
	}
	if got := strings.Join(seen, " "); got != "o/a#1 o/a#2 o/a#3 o/b#7" {
		t.Errorf("each = %q", got)
	}
	if v := (alertNumbers{"o/a": {}}).value(); len(v.Elements()) != 0 {
		t.Errorf("an empty repository list stays in the value: %v", v)
	}
}

func TestPolicyNameInReadsTheMarkerThatEndsAComment(t *testing.T) {
	t.Parallel()
	for comment, want := range map[string]string{
		"Test code. [tf-policy:tests]": "tests",
		"[tf-policy:vendor.js-2]  ":    "vendor.js-2",
		"[tf-policy:tests] and more":   "",
		"[tf-policy:bad name]":         "",
		"Reviewed by hand.":            "",
	} {
		if got := policyNameIn(&comment); got != want {
			t.Errorf("policyNameIn(%q) = %q, want %q", comment, got, want)
		}
	}
	if policyNameIn(nil) != "" {
		t.Error("policyNameIn(nil) names a policy")
	}
}

// A plan whose alerts are known after apply still says which it would dismiss and reopen.
func TestPlannedChangeWarningNamesTheAlerts(t *testing.T) {
	t.Parallel()
	var diags diag.Diagnostics
	planned := policyOutcome{pending: alertNumbers{"o/a": {1, 2}}, dismissed: alertNumbers{"o/a": {1, 2, 5}}}
	prior := policyOutcome{dismissed: alertNumbers{"o/a": {5, 6}, "o/b": {7}}}
	addPlannedChangeWarning(&diags, "tests", planned, prior)
	if len(diags) != 1 || diags[0].Summary() != `The dismissal policy "tests" dismisses 2 alerts and reopens 2` ||
		!strings.Contains(diags[0].Detail(), "dismisses 2 alerts: o/a #1, #2.") || !strings.Contains(diags[0].Detail(), "o/a #6; o/b #7") {
		t.Errorf("got %v", diags)
	}
	diags = nil
	addPlannedChangeWarning(&diags, "tests", policyOutcome{pending: alertNumbers{}, dismissed: alertNumbers{}}, policyOutcome{})
	if len(diags) != 0 {
		t.Errorf("a plan that changes nothing warns: %v", diags)
	}
	many := alertNumbers{}
	for n := 1; n <= 250; n++ {
		many.add("o/a", n)
	}
	if got := limitedNumbers(many, 200); !strings.HasSuffix(got, "#200 and 50 more") {
		t.Errorf("limitedNumbers = ...%s", got[len(got)-30:])
	}
}
