package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/emulatortest"
	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// dismissalState is a resource with the state of a dismissal of alert number with create_request.
func dismissalState(t *testing.T, baseURL string, number int) (*alertDismissalResource, tfsdk.State) {
	t.Helper()
	ctx := context.Background()
	client, err := githubclient.New(githubclient.Config{BaseURL: baseURL, Token: "test-token"})
	if err != nil {
		t.Fatal(err)
	}
	r := &alertDismissalResource{data: &providerData{client: client, owner: testOwner}}
	var schemaResp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &schemaResp)
	state := tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), nil)}
	model := alertDismissalModel{
		ID: types.StringNull(), Repository: types.StringValue(testOwner + "/service"), AlertNumber: types.Int64Value(int64(number)),
		Reason: types.StringValue("false positive"), Comment: types.StringValue("Sanitized upstream."), Assignees: types.SetNull(types.StringType),
		CreateRequest: types.BoolValue(true), State: types.StringValue("open"), DismissedBy: types.StringNull(), DismissedAt: types.StringNull(),
		ApprovedBy: types.StringNull(), RequestStatus: types.StringValue(requestPending), RuleID: types.StringNull(), HTMLURL: types.StringNull(),
	}
	if diags := state.Set(ctx, &model); diags.HasError() {
		t.Fatal(diags)
	}
	return r, state
}

// readDismissal runs the resource's Read on a state that asked for alert number's dismissal
// with create_request, and returns the diagnostics' warnings.
func readDismissal(t *testing.T, baseURL string, number int) []string {
	t.Helper()
	ctx := context.Background()
	r, state := dismissalState(t, baseURL, number)
	resp := resource.ReadResponse{State: state}
	r.Read(ctx, resource.ReadRequest{State: state}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	var warnings []string
	for _, d := range resp.Diagnostics.Warnings() {
		warnings = append(warnings, d.Summary()+": "+d.Detail())
	}
	return warnings
}

// A dismissal request GitHub shows no outcome of warns at every refresh, naming what GitHub does
// not let the provider know; an approved one does not.
func TestAlertDismissalRefreshWarnsOfAPendingRequest(t *testing.T) {
	t.Parallel()
	emu, baseURL := emulatortest.NewServer(t, defaultEmulatorConfig())
	for _, repo := range testRepositories() {
		emu.AddRepository(repo)
	}
	emu.UpdateRepository(testOwner, "service", func(r *emulator.Repository) { r.DelegatedDismissal = true })
	number := openAlert(emu, "go/sql-injection", "a.go")
	warnings := readDismissal(t, baseURL, number)
	if len(warnings) != 1 || !strings.Contains(warnings[0], "Dismissal request for code scanning alert 1 of octo-org/service is not approved") ||
		!strings.Contains(warnings[0], "denied or expired") || !strings.Contains(warnings[0], "terraform apply -replace") {
		t.Fatalf("warnings %q; want one saying the request is not approved, that GitHub does not show a denial, and how to ask again", warnings)
	}
	dismissAsHubot(emu, number, "false positive", ptr("Sanitized upstream."))
	emu.UpdateAlert(testOwner, "service", number, func(a *emulator.Alert) { a.DismissalApprovedBy = ptr("security-lead") })
	if warnings := readDismissal(t, baseURL, number); len(warnings) != 0 {
		t.Fatalf("warnings %q after approval; want none", warnings)
	}
}

// A state written before the provider recorded who made a dismissal has no record: its
// dismissal was Terraform's (earlier releases always dismissed, or overwrote, the alert), so
// destroy reopens it, as it always did.
func TestAlertDismissalDestroyWithoutARecordReopens(t *testing.T) {
	t.Parallel()
	emu, baseURL := emulatortest.NewServer(t, defaultEmulatorConfig())
	for _, repo := range testRepositories() {
		emu.AddRepository(repo)
	}
	number := openAlert(emu, "go/sql-injection", "a.go")
	dismissAsHubot(emu, number, "false positive", nil)
	r, state := dismissalState(t, baseURL, number)
	var resp resource.DeleteResponse
	r.Delete(context.Background(), resource.DeleteRequest{State: state}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	if a, _ := emu.Alert(testOwner, "service", number); a.State != "open" {
		t.Fatalf("alert %d is %q after destroying a dismissal with no record; want it reopened", number, a.State)
	}
}
