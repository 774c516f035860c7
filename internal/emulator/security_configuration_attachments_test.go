package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// attachedStatuses reads a configuration's repository list: full name to status.
func attachedStatuses(a *testAPI, id int64, query string) map[string]string {
	a.t.Helper()
	got := a.do("GET", configPath(id, "/repositories")+query, "")
	if got.status != http.StatusOK {
		a.t.Fatalf("repositories: status %d, body %s", got.status, got.body)
	}
	var list []struct {
		Status     string `json:"status"`
		Repository struct {
			FullName string `json:"full_name"`
		} `json:"repository"`
	}
	if err := json.Unmarshal(got.body, &list); err != nil {
		a.t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range list {
		out[r.Repository.FullName] = r.Status
	}
	return out
}

func attach(a *testAPI, id int64, body string) {
	a.t.Helper()
	if got := a.do("POST", configPath(id, "/attach"), body); got.status != http.StatusAccepted || string(got.body) != "{}" {
		a.t.Fatalf("attach: status %d, body %s; want 202 {}", got.status, got.body)
	}
}

func selected(a *testAPI, names ...string) string {
	ids := make([]string, len(names))
	for i, n := range names {
		ids[i] = fmt.Sprint(a.emu.RepositoryID("octo-org", n))
	}
	return `{"scope":"selected","selected_repository_ids":[` + strings.Join(ids, ",") + `]}`
}

// Attaching is a job: the repositories are attaching until the job reaches them, then
// attached, or enforced under an enforced configuration; one without Advanced Security ends
// failed (or, with UnlicensedAttachmentFreeFeatures, attached with only the free features).
func TestSecurityConfigurationAttachmentIsAJob(t *testing.T) {
	t.Parallel()
	unlicensed := Repository{Owner: "octo-org", Name: "nolicence", Languages: []string{"go"}}
	for _, tt := range []struct {
		name, knob, enforcement, want, wantUnlicensed string
	}{
		{"enforced", UnlicensedAttachmentFails, "enforced", attachEnforced, attachFailed},
		{"unenforced", UnlicensedAttachmentFails, "unenforced", attachAttached, attachFailed},
		{"free features", UnlicensedAttachmentFreeFeatures, "enforced", attachEnforced, attachEnforced},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newTestAPI(t, Config{AttachmentDelay: time.Minute, UnlicensedAttachment: tt.knob}, scanned("app"), unlicensed)
			clock := a.useFakeClock()
			id := createConfig(a, `{"name":"p","code_scanning_default_setup":"enabled","enforcement":"`+tt.enforcement+`"}`)
			attach(a, id, `{"scope":"all"}`)
			if got := attachedStatuses(a, id, ""); got["octo-org/app"] != attachAttaching || got["octo-org/nolicence"] != attachAttaching {
				t.Errorf("before the job: %v; want both attaching", got)
			}
			if got := attachedStatuses(a, id, "?status=attaching,failed"); len(got) != 2 {
				t.Errorf("status=attaching,failed before the job: %v; want both", got)
			}
			clock.Advance(time.Minute)
			got := attachedStatuses(a, id, "")
			if got["octo-org/app"] != tt.want || got["octo-org/nolicence"] != tt.wantUnlicensed {
				t.Errorf("after the job: %v; want app %s, nolicence %s", got, tt.want, tt.wantUnlicensed)
			}
			if only := attachedStatuses(a, id, "?status=failed"); len(only) != map[bool]int{true: 1, false: 0}[tt.wantUnlicensed == attachFailed] {
				t.Errorf("status=failed: %v", only)
			}
			if ds, _ := a.emu.DefaultSetup("octo-org", "nolicence"); ds.State != stateNotConfigured {
				t.Errorf("an unlicensed repository got default setup %s; want its paid features left off", ds.State)
			}
		})
	}
}

// Each scope covers what its name says; a repository attached to another configuration is
// re-attached; all_without_configurations leaves it alone; a list of ids is only for selected.
func TestSecurityConfigurationAttachScopes(t *testing.T) {
	t.Parallel()
	pub := scanned("pub")
	pub.Visibility = VisibilityPublic
	internal := scanned("int")
	internal.Visibility = VisibilityInternal
	a := newTestAPI(t, Config{}, scanned("priv"), pub, internal, scanned("other"))
	first := createConfig(a, `{"name":"first"}`)
	second := createConfig(a, `{"name":"second"}`)
	attach(a, first, selected(a, "other"))
	attach(a, second, `{"scope":"all_without_configurations"}`)
	if got := attachedStatuses(a, second, ""); len(got) != 3 || got["octo-org/other"] != "" {
		t.Errorf("all_without_configurations: %v; want priv, pub, int", got)
	}
	attach(a, first, `{"scope":"public"}`)
	if got := attachedStatuses(a, first, ""); len(got) != 2 || got["octo-org/pub"] == "" {
		t.Errorf("public: %v; want other and pub", got)
	}
	attach(a, first, `{"scope":"private_or_internal"}`)
	if got := attachedStatuses(a, first, ""); len(got) != 4 {
		t.Errorf("private_or_internal re-attaches from second: %v; want all four", got)
	}
	if got := attachedStatuses(a, second, ""); len(got) != 0 {
		t.Errorf("second still lists %v", got)
	}
	for body, want := range map[string]string{
		`{"scope":"all","selected_repository_ids":[1]}`: "You can only provide a list of repository ids when the scope is set to selected.",
		`{"scope":"selected"}`:                          "selected_repository_ids must name at least one repository when the scope is selected.",
		`{}`:                                            `"scope" wasn't supplied.`,
		`{"scope":"everything"}`:                        `For 'properties/scope', "everything" is not one of ["all", "all_without_configurations", "public", "private_or_internal", "selected"].`,
	} {
		a.do("POST", configPath(first, "/attach"), body).expectError(t, http.StatusUnprocessableEntity, "Invalid request.\n\n"+want)
	}
	// GitHub's own configuration may be attached.
	attach(a, 1, selected(a, "pub"))
	if id, status, _ := a.emu.RepositoryConfiguration("octo-org", "pub"); id != 1 || status != attachAttached {
		t.Errorf("pub: configuration %d %s; want GitHub recommended (1), attached", id, status)
	}
}

// A repository's configuration is 204 until one is attached, then the configuration and the
// repository's status; detaching (1 to 250 ids) and deleting the configuration leave it 204
// with its settings kept.
func TestSecurityConfigurationDetachAndDeleteKeepSettings(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"), scanned("lib"))
	const repoConfig = "repos/octo-org/app/code-security-configuration"
	if got := a.do("GET", repoConfig, ""); got.status != http.StatusNoContent || len(got.body) != 0 {
		t.Fatalf("no configuration: status %d, body %q; want 204", got.status, got.body)
	}
	id := createConfig(a, `{"name":"p","code_scanning_default_setup":"enabled"}`)
	attach(a, id, `{"scope":"all"}`)
	got := a.do("GET", repoConfig, "").object(t)
	if cfg, _ := got["configuration"].(map[string]any); got["status"] != attachEnforced || cfg["name"] != "p" {
		t.Errorf("attached: %v", got)
	}
	if ds, _ := a.emu.DefaultSetup("octo-org", "app"); ds.State != stateConfigured || !slices.Equal(ds.Languages, []string{"go", "python"}) {
		t.Errorf("default setup under the configuration: %+v; want configured with the detected languages", ds)
	}
	if got := a.do("DELETE", configsPath+"/detach", fmt.Sprintf(`{"selected_repository_ids":[%d]}`, a.emu.RepositoryID("octo-org", "app"))); got.status != http.StatusNoContent {
		t.Fatalf("detach: status %d, body %s", got.status, got.body)
	}
	if got := a.do("GET", repoConfig, ""); got.status != http.StatusNoContent {
		t.Errorf("detached: status %d; want 204", got.status)
	}
	if ds, _ := a.emu.DefaultSetup("octo-org", "app"); ds.State != stateConfigured {
		t.Errorf("detached repository lost its default setup: %+v", ds)
	}
	if got := a.do("DELETE", configPath(id, ""), ""); got.status != http.StatusNoContent {
		t.Fatalf("delete: status %d", got.status)
	}
	if _, _, attached := a.emu.RepositoryConfiguration("octo-org", "lib"); attached {
		t.Error("lib is still attached to a deleted configuration")
	}
	if ds, _ := a.emu.DefaultSetup("octo-org", "lib"); ds.State != stateConfigured {
		t.Errorf("deleting the configuration took lib's default setup: %+v", ds)
	}
	many := strings.TrimSuffix(strings.Repeat("1,", 251), ",")
	for body, want := range map[string]string{
		`{"selected_repository_ids":[]}`:             "For 'properties/selected_repository_ids', 0 items are not between 1 and 250.",
		`{"selected_repository_ids":[` + many + `]}`: "For 'properties/selected_repository_ids', 251 items are not between 1 and 250.",
		`{}`: `"selected_repository_ids" wasn't supplied.`,
	} {
		a.do("DELETE", configsPath+"/detach", body).expectError(t, http.StatusUnprocessableEntity, "Invalid request.\n\n"+want)
	}
}

// Under an enforced configuration that sets default setup, a repository-level change is
// refused with the status EnforcedSetupStatus picks; unenforced, or one that leaves default
// setup not_set, lets the repository change it.
func TestSecurityConfigurationEnforcementRefusesRepositoryDefaultSetupChanges(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name        string
		status      int
		config      string
		wantRefusal int
	}{
		{"enforced 403", 0, `{"name":"p","code_scanning_default_setup":"enabled"}`, http.StatusForbidden},
		{"enforced 422", http.StatusUnprocessableEntity, `{"name":"p","code_scanning_default_setup":"disabled"}`, http.StatusUnprocessableEntity},
		{"unenforced", 0, `{"name":"p","code_scanning_default_setup":"enabled","enforcement":"unenforced"}`, 0},
		{"not_set", 0, `{"name":"p","code_scanning_default_setup":"not_set"}`, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newTestAPI(t, Config{EnforcedSetupStatus: tt.status}, scanned("app"))
			attach(a, createConfig(a, tt.config), `{"scope":"all"}`)
			got := a.do("PATCH", setupPath, `{"state":"configured","query_suite":"extended"}`)
			if tt.wantRefusal == 0 {
				if got.status != http.StatusAccepted {
					t.Errorf("status %d, body %s; want 202", got.status, got.body)
				}
				return
			}
			msg := `Code scanning default setup of this repository is managed by the enforced code security configuration "p"; ` +
				"change the configuration or detach the repository."
			if tt.wantRefusal == http.StatusUnprocessableEntity {
				msg = "Invalid request.\n\n" + msg
			}
			got.expectError(t, tt.wantRefusal, msg)
		})
	}
}

// GET default-setup follows the attached configuration: enabled configures it (runners from
// the configuration's options), disabled turns it off, and changing the configuration puts its
// repositories through the job again (updating).
func TestSecurityConfigurationChangesWhatDefaultSetupShows(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{AttachmentDelay: time.Minute}, scanned("app"))
	clock := a.useFakeClock()
	id := createConfig(a, `{"name":"p","code_scanning_default_setup":"enabled","enforcement":"unenforced",`+
		`"code_scanning_default_setup_options":{"runner_type":"labeled","runner_label":"big"}}`)
	attach(a, id, `{"scope":"all"}`)
	if got := a.do("GET", setupPath, "").object(t); got["state"] != stateNotConfigured {
		t.Errorf("while attaching: %v; want not-configured", got["state"])
	}
	clock.Advance(time.Minute)
	if ds, _ := a.emu.DefaultSetup("octo-org", "app"); ds.State != stateConfigured {
		t.Errorf("DefaultSetup once the job is due, before any request: %s; want configured", ds.State)
	}
	got := a.do("GET", setupPath, "").object(t)
	if got["state"] != stateConfigured || got["runner_type"] != runnerLabeled || got["runner_label"] != "big" {
		t.Errorf("attached: %v; want configured on labeled runners big", got)
	}
	if upd := a.do("PATCH", configPath(id, ""), `{"code_scanning_default_setup":"disabled"}`); upd.status != http.StatusOK {
		t.Fatalf("update: %d %s", upd.status, upd.body)
	}
	if s := attachedStatuses(a, id, ""); s["octo-org/app"] != attachUpdating {
		t.Errorf("after the update: %v; want updating", s)
	}
	clock.Advance(time.Minute)
	if got := a.do("GET", setupPath, "").object(t); got["state"] != stateNotConfigured {
		t.Errorf("configuration disabled it: %v; want not-configured", got["state"])
	}
}

// A default for new repositories is set, listed, narrowed by a later overlapping one, and
// attached to a repository created afterwards of its visibility.
func TestSecurityConfigurationDefaultsForNewRepositories(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	id := createConfig(a, `{"name":"p","code_scanning_default_setup":"enabled"}`)
	got := a.do("PUT", configPath(id, "/defaults"), `{"default_for_new_repos":"all"}`)
	if got.status != http.StatusOK || got.object(t)["default_for_new_repos"] != "all" {
		t.Fatalf("set default: %d %s", got.status, got.body)
	}
	if got := a.do("PUT", configPath(1, "/defaults"), `{"default_for_new_repos":"public"}`); got.status != http.StatusOK {
		t.Fatalf("set GitHub recommended for public: %d %s", got.status, got.body)
	}
	var defaults []struct {
		DefaultForNewRepos string `json:"default_for_new_repos"`
		Configuration      struct {
			ID int64 `json:"id"`
		} `json:"configuration"`
	}
	if err := json.Unmarshal(a.do("GET", configsPath+"/defaults", "").body, &defaults); err != nil {
		t.Fatal(err)
	}
	if len(defaults) != 2 || defaults[0].Configuration.ID != 1 || defaults[0].DefaultForNewRepos != "public" ||
		defaults[1].Configuration.ID != id || defaults[1].DefaultForNewRepos != "private_and_internal" {
		t.Errorf("defaults: %+v; want GitHub recommended public, p private_and_internal", defaults)
	}
	a.emu.AddRepository(scanned("new"))
	pub := scanned("newpub")
	pub.Visibility = VisibilityPublic
	a.emu.AddRepository(pub)
	if cid, status, _ := a.emu.RepositoryConfiguration("octo-org", "new"); cid != id || status != attachEnforced {
		t.Errorf("new private repository: configuration %d %s; want %d enforced", cid, status, id)
	}
	if cid, _, _ := a.emu.RepositoryConfiguration("octo-org", "newpub"); cid != 1 {
		t.Errorf("new public repository: configuration %d; want GitHub recommended", cid)
	}
	if ds, _ := a.emu.DefaultSetup("octo-org", "new"); ds.State != stateConfigured {
		t.Errorf("new repository's default setup: %s; want configured by its default configuration", ds.State)
	}
	if cid, _, attached := a.emu.RepositoryConfiguration("octo-org", "app"); attached {
		t.Errorf("an existing repository was attached (%d) by a default for new ones", cid)
	}
	got = a.do("PUT", configPath(id, "/defaults"), `{"default_for_new_repos":"none"}`)
	if got.object(t)["default_for_new_repos"] != "none" {
		t.Errorf("none: %s", got.body)
	}
}

// The repository list pages by cursor, forwards and back, and refuses an unknown status.
func TestSecurityConfigurationRepositoriesPageByCursor(t *testing.T) {
	t.Parallel()
	var repos []Repository
	for i := range 5 {
		repos = append(repos, scanned(fmt.Sprintf("r%d", i)))
	}
	a := newTestAPI(t, Config{}, repos...)
	id := createConfig(a, `{"name":"p"}`)
	attach(a, id, `{"scope":"all"}`)
	var seen []string
	next := a.base + configPath(id, "/repositories") + "?per_page=2"
	var prev string
	for next != "" {
		got := a.doURL("GET", next, "")
		var page []struct {
			Repository struct{ Name string } `json:"repository"`
		}
		if err := json.Unmarshal(got.body, &page); err != nil {
			t.Fatal(err)
		}
		for _, p := range page {
			seen = append(seen, p.Repository.Name)
		}
		next, prev = linkRel(got.header.Get("Link"), "next"), linkRel(got.header.Get("Link"), "prev")
	}
	if strings.Join(seen, ",") != "r0,r1,r2,r3,r4" {
		t.Errorf("walked %v", seen)
	}
	got := a.doURL("GET", prev, "")
	var page []struct {
		Repository struct{ Name string } `json:"repository"`
	}
	_ = json.Unmarshal(got.body, &page)
	if len(page) != 2 || page[0].Repository.Name != "r2" || page[1].Repository.Name != "r3" {
		t.Errorf("prev of the last page: %s", got.body)
	}
	a.do("GET", configPath(id, "/repositories")+"?status=stuck", "").expectError(t, http.StatusUnprocessableEntity,
		`Invalid request.`+"\n\n"+`For 'status', "stuck" is not one of ["all", "attached", "attaching", "detached", "removed", "enforced", "failed", "updating", "removed_by_enterprise"].`)
	a.do("GET", configPath(id, "/repositories")+"?after=bogus", "").expectError(t, http.StatusUnprocessableEntity,
		"Invalid request.\n\nFor 'after', \"bogus\" is not a valid cursor.")
}

// linkRel is the URL of a Link header's relation, or "".
func linkRel(header, rel string) string {
	for _, part := range strings.Split(header, ",") {
		target, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.Contains(params, `rel="`+rel+`"`) {
			return strings.Trim(target, "<>")
		}
	}
	return ""
}

// A test can attach and detach a repository outside the API, as a person in GitHub's settings
// would, and the API shows it.
func TestSetRepositoryConfigurationMakesDrift(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	id := createConfig(a, `{"name":"p"}`)
	a.emu.SetRepositoryConfiguration("octo-org", "app", id)
	if got := attachedStatuses(a, id, ""); got["octo-org/app"] != attachEnforced {
		t.Errorf("attached out of band: %v", got)
	}
	a.emu.SetRepositoryConfiguration("octo-org", "app", 0)
	if got := a.do("GET", "repos/octo-org/app/code-security-configuration", ""); got.status != http.StatusNoContent {
		t.Errorf("detached out of band: status %d", got.status)
	}
}
