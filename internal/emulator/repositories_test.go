package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestGetRepository(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		repo         Repository
		wantArchived bool
		wantSecurity string
	}{
		{"Advanced Security on", scanned("app"), false, "enabled"},
		{"Advanced Security off", Repository{Owner: "octo-org", Name: "app"}, false, "disabled"},
		{"archived", Repository{Owner: "octo-org", Name: "app", AdvancedSecurity: true, Archived: true}, true, "enabled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newTestAPI(t, Config{}, tt.repo)
			got := a.do("GET", "repos/octo-org/app", "")
			if got.status != http.StatusOK {
				t.Fatalf("status = %d; body %s", got.status, got.body)
			}
			repo := got.object(t)
			if repo["full_name"] != "octo-org/app" || repo["archived"] != tt.wantArchived {
				t.Errorf("full_name = %v, archived = %v", repo["full_name"], repo["archived"])
			}
			if repo["url"] != a.base+"repos/octo-org/app" {
				t.Errorf("url = %v, want it built from the base URL %s", repo["url"], a.base)
			}
			var body struct {
				SecurityAndAnalysis struct {
					AdvancedSecurity struct{ Status string } `json:"advanced_security"`
				} `json:"security_and_analysis"`
			}
			if err := json.Unmarshal(got.body, &body); err != nil {
				t.Fatal(err)
			}
			if status := body.SecurityAndAnalysis.AdvancedSecurity.Status; status != tt.wantSecurity {
				t.Errorf("advanced_security.status = %v, want %s", status, tt.wantSecurity)
			}
		})
	}
}

func TestRepositoryNamesAreCaseInsensitive(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	if got := a.do("GET", "repos/Octo-Org/APP/code-scanning/default-setup", ""); got.status != http.StatusOK {
		t.Errorf("status = %d, want 200", got.status)
	}
}

func TestRepositoryChangesTakeEffect(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"), scanned("gone"))
	a.emu.UpdateRepository("octo-org", "app", func(r *Repository) { r.AdvancedSecurity = false })
	a.emu.UpdateRepository("octo-org", "missing", func(*Repository) { t.Error("mutate called for an unknown repository") })
	a.emu.DeleteRepository("octo-org", "gone")

	a.do("GET", "repos/octo-org/app/code-scanning/default-setup", "").
		expectError(t, http.StatusForbidden, msgAdvancedSecurityDisabled)
	a.do("GET", "repos/octo-org/gone", "").expectError(t, http.StatusNotFound, msgNotFound)
}

func TestUpdateRepositoryRenames(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	a.emu.UpdateRepository("octo-org", "app", func(r *Repository) { r.Name = "renamed" })
	a.do("GET", "repos/octo-org/app", "").expectError(t, http.StatusNotFound, msgNotFound)
	if got := a.do("GET", "repos/octo-org/renamed", ""); got.status != http.StatusOK {
		t.Errorf("renamed repository: status %d", got.status)
	}
}

func TestUnknownRepositoryIsNotFound(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	for _, tt := range []struct{ method, path, body string }{
		{"GET", "repos/octo-org/nope", ""},
		{"GET", "repos/octo-org/nope/code-scanning/default-setup", ""},
		{"PATCH", "repos/octo-org/nope/code-scanning/default-setup", `{"state":"configured"}`},
		{"GET", "repos/nobody/app/actions/runs/1", ""},
	} {
		a.do(tt.method, tt.path, tt.body).expectError(t, http.StatusNotFound, msgNotFound)
	}
}

func TestPathPrefixIsHonoured(t *testing.T) {
	t.Parallel()
	t.Run("default prefix", func(t *testing.T) {
		t.Parallel()
		a := newTestAPI(t, Config{}, scanned("app"))
		a.doURL("GET", a.root()+"repos/octo-org/app", "").expectError(t, http.StatusNotFound, msgNotFound)
	})
	t.Run("custom prefix, untidy slashes", func(t *testing.T) {
		t.Parallel()
		a := newTestAPI(t, Config{PathPrefix: "api/v3/"}, scanned("app"))
		if want := "/api/v3/"; !strings.HasSuffix(a.base, want) {
			t.Fatalf("base URL %s does not end in %s", a.base, want)
		}
		if got := a.do("GET", "repos/octo-org/app", ""); got.status != http.StatusOK {
			t.Errorf("under the prefix: status %d", got.status)
		}
		a.doURL("GET", a.root()+"repos/octo-org/app", "").expectError(t, http.StatusNotFound, msgNotFound)
		a.doURL("GET", a.root()+"api/repos/octo-org/app", "").expectError(t, http.StatusNotFound, msgNotFound)
	})
}

func TestUnservedMethodIsNotFound(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	a.do("DELETE", "repos/octo-org/app", "").expectError(t, http.StatusNotFound, msgNotFound)
}
