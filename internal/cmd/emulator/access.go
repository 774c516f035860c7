package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// What a token may do, as flags: a fine-grained token's permissions, the user's organization
// role, and a GitHub App whose installation tokens the provider mints (app_auth).

// The GitHub App the -app flag creates: its ID and its one installation.
const (
	appID          = "123456"
	installationID = 7654321
)

// permissionNames are the permissions GitHub's tokens name that the provider needs: repository
// ones, and the organization's Administration for code security configurations.
var permissionNames = []string{"actions", "administration", "contents", "metadata", "security_events", "organization_administration"}

var orgRoles = []string{emulator.RoleOwner, emulator.RoleSecurityManager, emulator.RoleMember}

// parsePermissions reads "administration=write,security_events=read".
func parsePermissions(flagName, list string) (map[string]string, error) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}
	perms := map[string]string{}
	for _, item := range strings.Split(list, ",") {
		name, level, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok || !slices.Contains(permissionNames, name) || (level != "read" && level != "write") {
			return nil, fmt.Errorf("%s: %q is not NAME=read or NAME=write with NAME one of %s", flagName, item, strings.Join(permissionNames, ", "))
		}
		perms[name] = level
	}
	return perms, nil
}

// githubApp is the App -app makes: the emulator's side and the private key file the provider's
// app_auth block reads.
type githubApp struct {
	app     *emulator.App
	keyFile string
	dir     string
}

// newGitHubApp generates an RSA key for the App and writes its private half, readable by the
// user only, into a fresh temporary directory; remove deletes it.
func newGitHubApp(permissions map[string]string) (*githubApp, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("-app: generating the App's key: %w", err)
	}
	dir, err := os.MkdirTemp("", "codescanning-emulator-app-")
	if err != nil {
		return nil, fmt.Errorf("-app: %w", err)
	}
	keyFile := filepath.Join(dir, "app.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	if err := os.WriteFile(keyFile, pemBytes, 0o600); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("-app: %w", err)
	}
	return &githubApp{
		app:     &emulator.App{ID: appID, PublicKey: &key.PublicKey, Installations: []int64{installationID}, Permissions: permissions},
		keyFile: keyFile,
		dir:     dir,
	}, nil
}

func (a *githubApp) remove() { _ = os.RemoveAll(a.dir) }

// appAuthBlock is the provider block that authenticates as the App.
func (a *githubApp) appAuthBlock(baseURL, owner string) string {
	return fmt.Sprintf("provider \"codescanning\" {\n  base_url = %q\n  owner    = %q\n\n  app_auth {\n"+
		"    id               = %q\n    installation_id  = \"%d\"\n    private_key_file = %q\n  }\n}\n",
		baseURL, owner, appID, installationID, a.keyFile)
}

// permissionList is "administration=write, security_events=read", in name order.
func permissionList(perms map[string]string) string {
	items := make([]string, 0, len(perms))
	for name, level := range perms {
		items = append(items, name+"="+level)
	}
	slices.Sort(items)
	return strings.Join(items, ", ")
}
