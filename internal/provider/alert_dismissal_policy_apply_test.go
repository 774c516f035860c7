package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// policyWorkOn is the work of the policy "tests" (reason "used in tests") on octo-org/service
// of a fresh emulator, with no write pacing.
func policyWorkOn(t *testing.T) (*emulator.Emulator, *policyWork) {
	t.Helper()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	client, err := githubclient.New(githubclient.Config{BaseURL: tt.baseURL, Token: "test-token"})
	if err != nil {
		t.Fatal(err)
	}
	r := &alertDismissalPolicyResource{data: &providerData{client: client, owner: testOwner}}
	scope := policyScope{repo: githubclient.Repository{Owner: testOwner, Name: "service"}}
	return tt.emulator, &policyWork{r: r, scope: scope, name: "tests", reason: "used in tests", comment: policyComment("", "tests"), diags: &diag.Diagnostics{}}
}

func diagnosticText(diags diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Summary() + ": " + d.Detail() + "\n")
	}
	return b.String()
}

// What the state says the policy dismissed is reopened only if GitHub, read just before, still
// shows it dismissed with the policy's marker and reason: a person who dismissed it again in
// the meantime, or changed its reason, keeps their decision.
func TestPolicyReopensOnlyWhatGitHubStillShowsAsItsOwn(t *testing.T) {
	t.Parallel()
	emu, w := policyWorkOn(t)
	ours := openAlert(emu, "go/sql-injection", "test/a.go")
	dismissByPerson(emu, ours, "used in tests", policyComment("", "tests"))
	persons := openAlert(emu, "go/sql-injection", "test/b.go")
	dismissByPerson(emu, persons, "used in tests", "Checked by hand.")
	otherReason := openAlert(emu, "go/sql-injection", "test/c.go")
	dismissByPerson(emu, otherReason, "false positive", policyComment("", "tests"))
	reopened := openAlert(emu, "go/sql-injection", "test/d.go")

	repo := testOwner + "/service"
	for _, n := range []int{ours, persons, otherReason, reopened} {
		w.reopen(context.Background(), repo, n, "tests", "used in tests")
	}
	w.report()

	want := map[int]string{ours: "open", persons: "dismissed", otherReason: "dismissed", reopened: "open"}
	for n, state := range want {
		if a, _ := emu.Alert(testOwner, "service", n); a.State != state {
			t.Errorf("alert %d is %s, want %s", n, a.State, state)
		}
	}
	text := diagnosticText(*w.diags)
	if w.diags.HasError() || !strings.Contains(text, "2 code scanning alerts stay dismissed") ||
		!strings.Contains(text, `"Checked by hand."`) || !strings.Contains(text, `as "false positive"`) {
		t.Errorf("want one warning naming the two dismissals left, got:\n%s", text)
	}
}

// A pending alert someone dismissed, or that was fixed, after the plan is left as it is and
// named in one error, and the other pending alerts are still dismissed.
func TestPolicyDismissalLeavesAlertsChangedSinceThePlan(t *testing.T) {
	t.Parallel()
	emu, w := policyWorkOn(t)
	byPerson := openAlert(emu, "go/sql-injection", "test/a.go")
	dismissByPerson(emu, byPerson, "won't fix", "Accepted, SEC-9.")
	fixed := openAlert(emu, "go/sql-injection", "test/b.go")
	emu.UpdateAlert(testOwner, "service", fixed, func(a *emulator.Alert) { a.State = "fixed" })
	open := openAlert(emu, "go/sql-injection", "test/c.go")

	repo := testOwner + "/service"
	for _, n := range []int{byPerson, fixed, open} {
		w.dismiss(context.Background(), repo, n)
	}
	w.report()

	if got := w.dismissed.String(); got != fmt.Sprintf("%s #%d", repo, open) {
		t.Errorf("dismissed %q, want only #%d", got, open)
	}
	if a, _ := emu.Alert(testOwner, "service", byPerson); deref(a.DismissedComment) != "Accepted, SEC-9." {
		t.Errorf("the person's dismissal was replaced: %v", deref(a.DismissedComment))
	}
	text := diagnosticText(*w.diags)
	if w.failed || !strings.Contains(text, "2 code scanning alerts changed after the plan") ||
		!strings.Contains(text, "monalisa dismissed it") || !strings.Contains(text, "is fixed") {
		t.Errorf("want one error naming both alerts, got (failed=%v):\n%s", w.failed, text)
	}
}
