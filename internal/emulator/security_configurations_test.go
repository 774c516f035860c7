package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

const configsPath = "orgs/octo-org/code-security/configurations"

// createConfig creates a configuration through the API and returns its id.
func createConfig(a *testAPI, body string) int64 {
	a.t.Helper()
	got := a.do("POST", configsPath, body)
	if got.status != http.StatusCreated {
		a.t.Fatalf("create: status %d, body %s", got.status, got.body)
	}
	id, _ := got.object(a.t)["id"].(float64)
	return int64(id)
}

func configPath(id int64, suffix string) string {
	return fmt.Sprintf("%s/%d%s", configsPath, id, suffix)
}

// A configuration is created with the create schema's defaults for what its body leaves out,
// read, changed (204 when nothing changes) and deleted, every answer within the contract.
func TestSecurityConfigurationCreateReadUpdateDelete(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	id := createConfig(a, `{"name":"org policy","description":"d","code_scanning_default_setup":"enabled","code_security":"enabled"}`)
	got := a.do("GET", configPath(id, ""), "").object(t)
	for k, want := range map[string]any{"name": "org policy", "target_type": "organization", "description": "d",
		"code_scanning_default_setup": "enabled", "advanced_security": "code_security", "dependency_graph": "enabled",
		"secret_scanning": "disabled", "enforcement": "enforced", "code_scanning_delegated_alert_dismissal": "not_set"} {
		if got[k] != want {
			t.Errorf("%s = %v, want %v", k, got[k], want)
		}
	}
	if _, shown := got["code_security"]; shown {
		t.Error("answer shows code_security, which GitHub only takes in writes")
	}
	if u, _ := got["url"].(string); !strings.HasSuffix(u, fmt.Sprintf("/api-v3/orgs/octo-org/code-security/configurations/%d", id)) {
		t.Errorf("url = %v", got["url"])
	}

	upd := a.do("PATCH", configPath(id, ""), `{"secret_protection":"enabled","enforcement":"unenforced"}`)
	if upd.status != http.StatusOK || upd.object(t)["advanced_security"] != "enabled" || upd.object(t)["enforcement"] != "unenforced" {
		t.Errorf("update: status %d, body %s; want 200, advanced_security enabled, unenforced", upd.status, upd.body)
	}
	if same := a.do("PATCH", configPath(id, ""), `{"enforcement":"unenforced"}`); same.status != http.StatusNoContent || len(same.body) != 0 {
		t.Errorf("update that changes nothing: status %d, body %q; want 204, no body", same.status, same.body)
	}
	if del := a.do("DELETE", configPath(id, ""), ""); del.status != http.StatusNoContent {
		t.Errorf("delete: status %d, body %s", del.status, del.body)
	}
	a.do("GET", configPath(id, ""), "").expectError(t, http.StatusNotFound, msgNotFound)
}

// The list holds GitHub's global configurations beside the organization's; target_type=global
// only those; a name is unique in the organization; bodies are checked as the schema says.
func TestSecurityConfigurationListAndValidation(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	createConfig(a, `{"name":"mine","description":""}`)
	names := func(path string) []string {
		var list []map[string]any
		if err := json.Unmarshal(a.do("GET", path, "").body, &list); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range list {
			target, _ := c["target_type"].(string)
			name, _ := c["name"].(string)
			out = append(out, target+":"+name)
		}
		return out
	}
	if got := strings.Join(names(configsPath), ","); got != "global:GitHub recommended,organization:mine" {
		t.Errorf("all: %s", got)
	}
	if got := strings.Join(names(configsPath+"?target_type=global"), ","); got != "global:GitHub recommended" {
		t.Errorf("global: %s", got)
	}
	for body, want := range map[string]string{
		`{"name":"mine"}`:                     msgNameTaken("mine"),
		`{"description":"x"}`:                 `"name" wasn't supplied.`,
		`{"name":"x","bogus":1}`:              `"bogus" is not a permitted key.`,
		`{"name":"x","secret_scanning":"on"}`: `For 'properties/secret_scanning', "on" is not one of ["enabled", "disabled", "not_set"].`,
		`{"name":"x","enforcement":true}`:     `For 'properties/enforcement', true is not a string.`,
		`{"name":"x","code_scanning_default_setup_options":{"runner_type":"big"}}`: `For 'properties/runner_type', "big" is not one of ["standard", "labeled", "not_set"].`,
	} {
		a.do("POST", configsPath, body).expectError(t, http.StatusUnprocessableEntity, "Invalid request.\n\n"+want)
	}
	a.do("POST", "orgs/nobody/code-security/configurations", `{"name":"x"}`).expectError(t, http.StatusNotFound, msgNotFound)
	a.do("PATCH", configPath(1, ""), `{"name":"y"}`).expectError(t, http.StatusNotFound, msgNotFound) // GitHub's own
}

// Configurations are an owner's or security manager's: a member gets GitHub's 404.
func TestSecurityConfigurationsNeedAnOwnerOrSecurityManager(t *testing.T) {
	t.Parallel()
	cfg := Config{
		Logins:            map[string]string{"t-sm": "hubot", "t-member": "octocat"},
		OrganizationRoles: map[string]string{"hubot": RoleSecurityManager, "octocat": RoleMember},
	}
	a := newTestAPI(t, cfg, scanned("app"))
	a.token = "t-sm"
	if got := a.do("GET", configsPath, ""); got.status != http.StatusOK {
		t.Errorf("security manager: status %d, body %s", got.status, got.body)
	}
	a.token = "t-member"
	a.do("GET", configsPath, "").expectError(t, http.StatusNotFound, msgNotFound)
	a.do("GET", "repos/octo-org/app/code-security-configuration", "").expectError(t, http.StatusNotFound, msgNotFound)
}

// Each GHES release takes and shows the settings its description has: a setting its write
// body lacks is a 422, one its answers lack is not shown; every exchange of a whole rollout is
// checked against that release's description.
func TestSecurityConfigurationsFollowEachGHESRelease(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		version         string
		refusedOnCreate []string
		refusedOnUpdate []string
		hidden, shown   []string
	}{
		{"", nil, nil, nil, []string{"code_scanning_options", "private_vulnerability_reporting", "secret_scanning_generic_secrets"}},
		{"3.17.2", []string{"code_security", "code_scanning_options", "secret_scanning_generic_secrets"}, []string{"secret_protection"},
			[]string{"code_scanning_options", "private_vulnerability_reporting", "dependency_graph_autosubmit_action"}, []string{"secret_scanning_validity_checks"}},
		{"3.19.1", []string{"secret_scanning_extended_metadata"}, []string{"code_scanning_options"},
			[]string{"private_vulnerability_reporting", "secret_scanning_generic_secrets"}, []string{"code_scanning_options"}},
	} {
		t.Run(descriptionFor(tt.version), func(t *testing.T) {
			t.Parallel()
			a := newTestAPI(t, Config{EnterpriseVersion: tt.version}, scanned("app"))
			value := func(name string) string {
				if name == "code_scanning_options" {
					return `{"allow_advanced":true}`
				}
				return `"enabled"`
			}
			for _, name := range tt.refusedOnCreate {
				a.do("POST", configsPath, `{"name":"x","`+name+`":`+value(name)+`}`).expectError(t, http.StatusUnprocessableEntity,
					fmt.Sprintf("Invalid request.\n\n%q is not a permitted key.", name))
			}
			id := createConfig(a, `{"name":"p","description":"","code_scanning_default_setup":"enabled","private_vulnerability_reporting":"enabled"}`)
			for _, name := range tt.refusedOnUpdate {
				a.do("PATCH", configPath(id, ""), `{"`+name+`":`+value(name)+`}`).expectError(t, http.StatusUnprocessableEntity,
					fmt.Sprintf("Invalid request.\n\n%q is not a permitted key.", name))
			}
			got := a.do("GET", configPath(id, ""), "").object(t)
			for _, name := range tt.hidden {
				if _, ok := got[name]; ok {
					t.Errorf("answer shows %s, which this release's description lacks", name)
				}
			}
			for _, name := range tt.shown {
				if _, ok := got[name]; !ok {
					t.Errorf("answer lacks %s", name)
				}
			}
			attach(a, id, `{"scope":"all"}`)
			attachedStatuses(a, id, "?status=enforced")
			a.do("PUT", configPath(id, "/defaults"), `{"default_for_new_repos":"all"}`)
			a.do("GET", configsPath+"/defaults", "")
			a.do("GET", configsPath, "")
			a.do("GET", "repos/octo-org/app/code-security-configuration", "")
			a.do("DELETE", configsPath+"/detach", fmt.Sprintf(`{"selected_repository_ids":[%d]}`, a.emu.RepositoryID("octo-org", "app")))
			a.do("DELETE", configPath(id, ""), "")
		})
	}
}
