package emulator

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"testing"
	"time"
)

// permissionedOperation is one operation a permissioned token may be refused, the permission
// GitHub documents it as needing, and how to make it succeed.
type permissionedOperation struct {
	name, method string
	path         func(a *testAPI) string // after any setup, made with the classic test token
	body         string
	perm, level  string
	want         int
}

func permissionedOperations() []permissionedOperation {
	fixed := func(p string) func(*testAPI) string { return func(*testAPI) string { return p } }
	return []permissionedOperation{
		{"read default setup", "GET", fixed(setupPath), "", permAdministration, permRead, 200},
		{"change default setup", "PATCH", fixed(setupPath), `{"state":"configured"}`, permAdministration, permWrite, 202},
		{"read a run", "GET", func(a *testAPI) string { return "repos/octo-org/app/actions/runs/" + startRun(a) }, "", permActions, permRead, 200},
		{"list organization alerts", "GET", fixed("orgs/octo-org/code-scanning/alerts"), "", permSecurityEvents, permRead, 200},
		{"list alerts", "GET", fixed("repos/octo-org/app/code-scanning/alerts"), "", permSecurityEvents, permRead, 200},
		{"read an alert", "GET", fixed("repos/octo-org/app/code-scanning/alerts/1"), "", permSecurityEvents, permRead, 200},
		{"read an alert's instances", "GET", fixed("repos/octo-org/app/code-scanning/alerts/1/instances"), "", permSecurityEvents, permRead, 200},
		{"dismiss an alert", "PATCH", fixed("repos/octo-org/app/code-scanning/alerts/1"), `{"state":"dismissed","dismissed_reason":"false positive"}`, permSecurityEvents, permWrite, 200},
		{"list analyses", "GET", fixed("repos/octo-org/app/code-scanning/analyses"), "", permSecurityEvents, permRead, 200},
		{"read an analysis", "GET", func(a *testAPI) string {
			return fmt.Sprintf("repos/octo-org/app/code-scanning/analyses/%d", a.emu.AddAnalysis("octo-org", "app", Analysis{}))
		}, "", permSecurityEvents, permRead, 200},
		{"list CodeQL databases", "GET", fixed("repos/octo-org/app/code-scanning/codeql/databases"), "", permContents, permRead, 200},
		{"read a CodeQL database", "GET", func(a *testAPI) string {
			a.emu.AddCodeQLDatabase("octo-org", "app", CodeQLDatabase{Language: "go"})
			return "repos/octo-org/app/code-scanning/codeql/databases/go"
		}, "", permContents, permRead, 200},
		{"upload SARIF", "POST", fixed(sarifsPath), "", permSecurityEvents, permWrite, 202},
		{"read a SARIF upload", "GET", func(a *testAPI) string {
			return sarifsPath + "/" + a.upload(testLog("cat"), "")
		}, "", permSecurityEvents, permRead, 200},
		{"list configurations", "GET", fixed(configsPath), "", permOrganizationAdministration, permRead, 200},
		{"create a configuration", "POST", fixed(configsPath), `{"name":"p"}`, permOrganizationAdministration, permWrite, 201},
		{"read a configuration", "GET", newConfigPath(""), "", permOrganizationAdministration, permRead, 200},
		{"update a configuration", "PATCH", newConfigPath(""), `{"description":"x"}`, permOrganizationAdministration, permWrite, 200},
		{"delete a configuration", "DELETE", newConfigPath(""), "", permOrganizationAdministration, permWrite, 204},
		{"attach a configuration", "POST", newConfigPath("/attach"), `{"scope":"all"}`, permOrganizationAdministration, permWrite, 202},
		{"set a default configuration", "PUT", newConfigPath("/defaults"), `{"default_for_new_repos":"all"}`, permOrganizationAdministration, permWrite, 200},
		{"list a configuration's repositories", "GET", newConfigPath("/repositories"), "", permOrganizationAdministration, permRead, 200},
		{"detach configurations", "DELETE", fixed(configsPath + "/detach"), `{"selected_repository_ids":[1]}`, permOrganizationAdministration, permWrite, 204},
		{"list default configurations", "GET", fixed(configsPath + "/defaults"), "", permOrganizationAdministration, permRead, 200},
		{"read a repository's configuration", "GET", fixed("repos/octo-org/app/code-security-configuration"), "", permAdministration, permRead, 204},
	}
}

// newConfigPath creates a configuration with the classic test token and names it, with suffix.
func newConfigPath(suffix string) func(*testAPI) string {
	return func(a *testAPI) string { return configPath(createConfig(a, `{"name":"made"}`), suffix) }
}

// permissionTarget makes a permissioned token of one kind for a test: a fine-grained personal
// access token (Config.TokenPermissions) or an App's installation token (App.Permissions).
type permissionTarget struct {
	kind    string
	refusal string
	token   func(t *testing.T, perms map[string]string) (Config, func(a *testAPI) string)
}

var permissionTargets = []permissionTarget{
	{"fine-grained token", msgNotAccessibleByPAT, func(_ *testing.T, perms map[string]string) (Config, func(*testAPI) string) {
		return Config{TokenPermissions: map[string]map[string]string{"github_pat_test": perms}},
			func(*testAPI) string { return "github_pat_test" }
	}},
	{"installation token", msgNotAccessibleByIntegration, func(t *testing.T, perms map[string]string) (Config, func(*testAPI) string) {
		app := &App{ID: "42", PublicKey: &appKey().PublicKey, Installations: []int64{7}, Permissions: perms}
		return Config{App: app}, func(a *testAPI) string {
			now := time.Now().Unix()
			jwt := signJWT(t, appKey(), "RS256", map[string]any{"iss": "42", "iat": now - 60, "exp": now + 540})
			// The cut description leaves the Apps API out, so this exchange is not checked against it.
			resp, body, err := rawDo(t, "POST", a.base+"app/installations/7/access_tokens", "", map[string]string{"Authorization": "Bearer " + jwt})
			if err != nil {
				t.Fatal(err)
			}
			var minted installationTokenJSON
			if err := json.Unmarshal(body, &minted); err != nil || resp.StatusCode != http.StatusCreated {
				t.Fatalf("minting a token: %d %s", resp.StatusCode, body)
			}
			if !maps.Equal(minted.Permissions, withMetadata(perms)) {
				t.Errorf("the token's answer names permissions %v, want %v", minted.Permissions, withMetadata(perms))
			}
			return minted.Token
		}
	}},
}

func withMetadata(perms map[string]string) map[string]string {
	out := maps.Clone(perms)
	out[permMetadata] = permRead
	return out
}

// TestPermissionedTokensAreRefusedWhatTheyLack gives a token exactly the permission each
// operation is documented to need (it succeeds), then every permission but that one, then only
// read where write is needed (each refused with GitHub's 403, its words and the header naming
// what would do).
func TestPermissionedTokensAreRefusedWhatTheyLack(t *testing.T) {
	t.Parallel()
	for _, target := range permissionTargets {
		for _, op := range permissionedOperations() {
			lacking := fullAppPermissions()
			delete(lacking, op.perm)
			delete(lacking, permMetadata)
			cases := map[string]struct {
				perms  map[string]string
				refuse bool
			}{
				"exactly what is documented": {map[string]string{op.perm: op.level}, false},
				"everything else":            {lacking, true},
			}
			if op.level == permWrite {
				cases["read where write is needed"] = struct {
					perms  map[string]string
					refuse bool
				}{map[string]string{op.perm: permRead}, true}
			}
			for name, tc := range cases {
				t.Run(target.kind+"/"+op.name+"/"+name, func(t *testing.T) {
					t.Parallel()
					cfg, mint := target.token(t, tc.perms)
					a := newTestAPI(t, cfg, scanned("app"))
					a.emu.SeedAlerts("octo-org", "app", 3, 1)
					path := op.path(a)
					body := op.body
					if op.method == "POST" && body == "" {
						body = fmt.Sprintf(`{"commit_sha":%q,"ref":"refs/heads/main","sarif":%q}`, uploadCommit, encodeSarif(t, testLog("cat")))
					}
					a.token = mint(a)
					got := a.do(op.method, path, body)
					if !tc.refuse {
						if got.status != op.want {
							t.Fatalf("status = %d, want %d; body %s", got.status, op.want, got.body)
						}
						return
					}
					got.expectError(t, http.StatusForbidden, target.refusal)
					if h, want := got.header.Get("X-Accepted-GitHub-Permissions"), op.perm+"="+op.level; h != want {
						t.Errorf("X-Accepted-GitHub-Permissions = %q, want %q", h, want)
					}
				})
			}
		}
	}
}

// TestClassicTokensKeepEveryPermission: a token with no permission set is a classic token.
func TestClassicTokensKeepEveryPermission(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{TokenPermissions: map[string]map[string]string{"github_pat_other": {}}}, scanned("app"))
	path := "repos/octo-org/app/actions/runs/" + startRun(a)
	if got := a.do("GET", path, ""); got.status != http.StatusOK {
		t.Fatalf("a classic token was refused a run: %d %s", got.status, got.body)
	}
	a.token = "github_pat_other"
	a.do("GET", path, "").expectError(t, http.StatusForbidden, msgNotAccessibleByPAT)
}

// TestOrganizationAlertsNeedAnOwnerOrSecurityManager: "The authenticated user must be an owner
// or security manager for the organization"; the description documents only 404 for a refusal.
func TestOrganizationAlertsNeedAnOwnerOrSecurityManager(t *testing.T) {
	t.Parallel()
	const orgAlerts = "orgs/octo-org/code-scanning/alerts"
	tokens := map[string]string{"owner": "t-owner", "security manager": "t-sm", "member": "t-member", "unlisted": "t-unlisted"}
	cfg := Config{
		Logins:            map[string]string{"t-owner": "mona", "t-sm": "hubot", "t-member": "octocat", "t-unlisted": "nobody"},
		OrganizationRoles: map[string]string{"mona": RoleOwner, "hubot": RoleSecurityManager, "octocat": RoleMember},
	}
	a := newTestAPI(t, cfg, scanned("app"))
	for who, token := range tokens {
		a.token = token
		got := a.do("GET", orgAlerts, "")
		switch who {
		case "owner", "security manager":
			if got.status != http.StatusOK {
				t.Errorf("%s: status %d, body %s", who, got.status, got.body)
			}
		default:
			got.expectError(t, http.StatusNotFound, msgNotFound)
		}
	}

	// Without roles configured, everyone may list, as before.
	open := newTestAPI(t, Config{}, scanned("app"))
	if got := open.do("GET", orgAlerts, ""); got.status != http.StatusOK {
		t.Errorf("without roles: status %d", got.status)
	}
}
