package emulator

import (
	"net/http"
	"slices"
	"testing"
)

func TestGHES317HasNoThreatModel(t *testing.T) {
	t.Parallel()
	emu, base := NewTestServer(t, Config{EnterpriseVersion: "3.17.2", PathPrefix: "/api/v3"})
	emu.AddRepository(scanned("app"))
	a := &testAPI{t: t, emu: emu, base: base, token: testToken}
	const path = "repos/octo-org/app/code-scanning/default-setup"

	got := a.do("GET", path, "")
	// GitHub's description of GHES 3.17 lists exactly these properties.
	var keys []string
	for k := range got.object(t) {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"languages", "query_suite", "runner_label", "runner_type", "schedule", "state", "updated_at"}; !slices.Equal(keys, want) {
		t.Fatalf("GHES 3.17 default setup has %q; want %q", keys, want)
	}
	wantHeaders(t, got.header, map[string]string{"X-GitHub-Enterprise-Version": "3.17.2"})

	refused := a.do("PATCH", path, `{"state":"configured","threat_model":"remote"}`)
	refused.expectError(t, http.StatusUnprocessableEntity, "Invalid request.\n\n\"threat_model\" is not a permitted key.")
	if ds, _ := emu.DefaultSetup("octo-org", "app"); ds.State != stateNotConfigured {
		t.Fatal("the refused PATCH changed the configuration")
	}
	if ok := a.do("PATCH", path, `{"state":"configured"}`); ok.status != http.StatusAccepted {
		t.Fatalf("PATCH without threat_model: %d %s", ok.status, ok.body)
	}
	if missing := a.do("GET", "repos/octo-org/nope", ""); missing.header.Get("X-GitHub-Enterprise-Version") != "3.17.2" {
		t.Fatal("an error answer lacks X-GitHub-Enterprise-Version")
	}
}

func TestLaterGHESAndGitHubComHaveThreatModels(t *testing.T) {
	t.Parallel()
	for _, version := range []string{"", "3.19.0"} {
		a := newTestAPI(t, Config{EnterpriseVersion: version}, scanned("app"))
		got := a.do("GET", "repos/octo-org/app/code-scanning/default-setup", "")
		if _, ok := got.object(t)["threat_model"]; !ok {
			t.Fatalf("version %q: no threat_model", version)
		}
		if (got.header.Get("X-GitHub-Enterprise-Version") != "") != (version != "") {
			t.Fatalf("version %q: X-GitHub-Enterprise-Version %q", version, got.header.Get("X-GitHub-Enterprise-Version"))
		}
	}
}
