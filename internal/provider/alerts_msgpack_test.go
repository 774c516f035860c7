package provider

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/emulatortest"
	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// frameworkAlertsMsgPack is the alerts list as the framework writes it: alertObject's values,
// converted to terraform's and encoded by tftypes.
func frameworkAlertsMsgPack(t *testing.T, alerts []githubclient.Alert) []byte {
	t.Helper()
	ctx := context.Background()
	elems := make([]attr.Value, len(alerts))
	for i, a := range alerts {
		elems[i] = alertObject(a)
	}
	list := types.ListValueMust(alertObjectType(), elems)
	value, err := list.ToTerraformValue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dv, err := tfprotov6.NewDynamicValue(list.Type(ctx).TerraformType(ctx), value)
	if err != nil {
		t.Fatal(err)
	}
	return dv.MsgPack
}

// TestAlertsMsgPackIsWhatTheFrameworkWrites: an alert with every optional value null, one with
// every value set (strings past the short encodings, numbers past one byte, non-ASCII text), and
// the seed's mix of open, fixed and dismissed alerts encode byte for byte as the framework
// encodes alertObject's values, so terraform reads the same list either way.
func TestAlertsMsgPackIsWhatTheFrameworkWrites(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("CET", 3600))
	s := func(v string) *string { return &v }
	full := githubclient.Alert{
		Number: 70000, State: "dismissed", CreatedAt: &at, UpdatedAt: &at, FixedAt: &at, DismissedAt: &at,
		DismissedBy: &githubclient.User{Login: "mona"}, DismissedReason: s("won't fix"), DismissedComment: s(strings.Repeat("é", 140)),
		DismissalApprovedBy: &githubclient.User{Login: "hubot"}, HTMLURL: "https://github.com/o/r/security/code-scanning/70000",
		Rule: githubclient.AlertRule{ID: s("go/sql-injection"), Name: "SQL", Severity: s("error"), SecuritySeverityLevel: s("high"),
			Description: strings.Repeat("d", 70000), Tags: []string{"security", "external/cwe/cwe-089"}},
		Tool:      githubclient.AlertTool{Name: s("CodeQL"), Version: s("2.20.0"), GUID: s("guid")},
		Assignees: []githubclient.User{{Login: "a"}, {Login: "b"}},
		Repository: &struct {
			FullName string `json:"full_name"`
		}{FullName: "o/r"},
	}
	full.MostRecentInstance = githubclient.AlertInstance{Ref: "refs/heads/main", AnalysisKey: "k", Environment: "{}", Category: "c",
		State: "dismissed", CommitSHA: strings.Repeat("a", 40), Classifications: []string{"test"}}
	full.MostRecentInstance.Message.Text = "message ✓"
	full.MostRecentInstance.Location.Path, full.MostRecentInstance.Location.StartLine = "x/y.go", 1<<20
	full.MostRecentInstance.Location.EndLine, full.MostRecentInstance.Location.StartColumn, full.MostRecentInstance.Location.EndColumn = 1<<33, 200, 65536

	emu, baseURL := emulatortest.NewServer(t, emulator.Config{})
	emu.AddRepository(emulator.Repository{Owner: testOwner, Name: "monorepo", AdvancedSecurity: true, Languages: []string{"go"}})
	emu.SeedAlerts(testOwner, "monorepo", 400, 3)
	client, err := githubclient.New(githubclient.Config{BaseURL: baseURL, Token: "test"})
	if err != nil {
		t.Fatal(err)
	}
	seeded, err := client.ListRepositoryAlerts(context.Background(), githubclient.Repository{Owner: testOwner, Name: "monorepo"}, githubclient.AlertFilter{})
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]bool{}
	for _, a := range seeded.Alerts {
		states[a.State] = true
	}
	if len(states) < 3 {
		t.Fatalf("the seed listed alerts in states %v; the test needs open, fixed and dismissed ones", states)
	}

	for name, alerts := range map[string][]githubclient.Alert{
		"none": {}, "every value null": {{}}, "every value set": {full, {}}, "seeded": seeded.Alerts,
	} {
		got, err := encodeAlertsMsgPack(alerts)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if want := frameworkAlertsMsgPack(t, alerts); !bytes.Equal(got, want) {
			t.Errorf("%s: encodeAlertsMsgPack wrote %d bytes that differ from the framework's %d at byte %d", name, len(got), len(want), firstDifference(got, want))
		}
	}
}

func firstDifference(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestProtocolServerReadsAlertsAsTheFrameworkDoes: ReadDataSource of codescanning_alerts through
// ProtocolServer answers the state and diagnostics the framework's server alone answers, for a
// repository (several pages, a filter GitHub ignored, so a warning) and an organization
// (repository_full_name set), and with no alerts.
func TestProtocolServerReadsAlertsAsTheFrameworkDoes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	emu, baseURL := emulatortest.NewServer(t, emulator.Config{IgnoreNewerAlertFilters: true})
	for _, name := range []string{"monorepo", "other", "empty"} {
		emu.AddRepository(emulator.Repository{Owner: testOwner, Name: name, AdvancedSecurity: true, Languages: []string{"go"}})
	}
	emu.SeedAlerts(testOwner, "monorepo", 250, 5)
	emu.SeedAlerts(testOwner, "other", 30, 6)

	p := New("test")()
	framework, ours := providerserver.NewProtocol6(p)(), ProtocolServer(p)()
	var providerSchema fwprovider.SchemaResponse
	p.Schema(ctx, fwprovider.SchemaRequest{}, &providerSchema)
	providerConfig := protocolConfig(t, providerSchema.Schema.Type().TerraformType(ctx), map[string]tftypes.Value{
		"base_url": tftypes.NewValue(tftypes.String, baseURL),
		"token":    tftypes.NewValue(tftypes.String, "test"),
		"owner":    tftypes.NewValue(tftypes.String, testOwner),
	})
	for _, server := range []tfprotov6.ProviderServer{framework, ours} {
		if _, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
			t.Fatal(err)
		}
		resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: providerConfig})
		if err != nil || hasErrorDiagnostic(resp.Diagnostics) {
			t.Fatal(err, resp.Diagnostics)
		}
	}
	var dsSchema datasource.SchemaResponse
	(&alertsDataSource{}).Schema(ctx, datasource.SchemaRequest{}, &dsSchema)
	stateType := dsSchema.Schema.Type().TerraformType(ctx)
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

	for name, set := range map[string]map[string]tftypes.Value{
		"repository, severity ignored": {"repository": str("monorepo"), "severity": str("error")},
		"organization":                 {"organization": str(testOwner)},
		"no alerts":                    {"repository": str("empty")},
	} {
		req := &tfprotov6.ReadDataSourceRequest{TypeName: "codescanning_alerts", Config: protocolConfig(t, stateType, set)}
		want, err := framework.ReadDataSource(ctx, req)
		if err != nil || hasErrorDiagnostic(want.Diagnostics) {
			t.Fatalf("%s: the framework's server: %v %v", name, err, want.Diagnostics)
		}
		got, err := ours.ReadDataSource(ctx, req)
		if err != nil || hasErrorDiagnostic(got.Diagnostics) {
			t.Fatalf("%s: ProtocolServer: %v %v", name, err, got.Diagnostics)
		}
		if !bytes.Equal(got.State.MsgPack, want.State.MsgPack) {
			t.Errorf("%s: ProtocolServer's state (%d bytes) differs from the framework's (%d bytes) at byte %d", name,
				len(got.State.MsgPack), len(want.State.MsgPack), firstDifference(got.State.MsgPack, want.State.MsgPack))
		}
		if len(got.Diagnostics) != len(want.Diagnostics) {
			t.Errorf("%s: %d diagnostics, the framework's server %d", name, len(got.Diagnostics), len(want.Diagnostics))
		}
		for i := range min(len(got.Diagnostics), len(want.Diagnostics)) {
			if g, w := *got.Diagnostics[i], *want.Diagnostics[i]; g.Summary != w.Summary || g.Detail != w.Detail || g.Severity != w.Severity {
				t.Errorf("%s: diagnostic %d is %q, the framework's server's %q", name, i, g.Summary, w.Summary)
			}
		}
		if name == "repository, severity ignored" && len(want.Diagnostics) == 0 {
			t.Errorf("%s: no warning; the case should prove a warning passes through", name)
		}
	}
}

// TestReplaceAttributePutsTheListWhereReadLeftItEmpty: the encoded list takes the place of the
// empty list Read leaves, using the room before it when what precedes fits there and a copy when
// not; a state Read wrote otherwise is an error, not a list silently swapped.
func TestReplaceAttributePutsTheListWhereReadLeftItEmpty(t *testing.T) {
	t.Parallel()
	listType := tftypes.List{ElementType: tftypes.String}
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"alerts": listType, "id": tftypes.String, "z": listType}}
	encode := func(v tftypes.Value, typ tftypes.Type) []byte {
		dv, err := tfprotov6.NewDynamicValue(typ, v)
		if err != nil {
			t.Fatal(err)
		}
		return dv.MsgPack
	}
	state := func(alerts ...string) []byte {
		elems := make([]tftypes.Value, len(alerts))
		for i, a := range alerts {
			elems[i] = tftypes.NewValue(tftypes.String, a)
		}
		return encode(tftypes.NewValue(typ, map[string]tftypes.Value{
			"alerts": tftypes.NewValue(listType, elems), "id": tftypes.NewValue(tftypes.String, "x"),
			"z": tftypes.NewValue(listType, []tftypes.Value{}),
		}), typ)
	}
	list := encode(tftypes.NewValue(listType, []tftypes.Value{tftypes.NewValue(tftypes.String, "a"), tftypes.NewValue(tftypes.String, "b")}), listType)
	for _, room := range []int{0, 3, listRoom} {
		buf := append(make([]byte, room, room+len(list)+tailRoom), list...)
		got, err := replaceAttribute(state(), "alerts", buf, room)
		if err != nil {
			t.Fatalf("room %d: %v", room, err)
		}
		if want := state("a", "b"); !bytes.Equal(got, want) {
			t.Errorf("room %d: replaced %x, want %x", room, got, want)
		}
		sameArray := &got[:cap(got)][cap(got)-1] == &buf[:cap(buf)][cap(buf)-1]
		if room == listRoom && !sameArray {
			t.Errorf("room %d: the list was copied, though what precedes it fits in the room", room)
		}
	}
	if _, err := replaceAttribute(state("a"), "alerts", list, 0); err == nil || !strings.Contains(err.Error(), "not the empty list") {
		t.Errorf("a list Read filled was replaced (err %v)", err)
	}
	if _, err := replaceAttribute(state(), "missing", list, 0); err == nil {
		t.Error("a state without the attribute was accepted")
	}
}

// protocolConfig is an object of typ, encoded as terraform sends it, with the given attributes
// set and every other one null.
func protocolConfig(t testing.TB, typ tftypes.Type, set map[string]tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	obj, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object type", typ)
	}
	values := map[string]tftypes.Value{}
	for name, attrType := range obj.AttributeTypes {
		values[name] = tftypes.NewValue(attrType, nil)
		if v, ok := set[name]; ok {
			values[name] = v
		}
	}
	dv, err := tfprotov6.NewDynamicValue(obj, tftypes.NewValue(obj, values))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}
