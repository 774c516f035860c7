package provider

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/netsim"
	"github.com/codescanning/terraform-provider-codescanning/internal/wait"
)

// appKeyPEM is one GitHub App key (PKCS #1, as GitHub hands them out) for all tests.
var appKeyPEM = sync.OnceValues(func() (*rsa.PrivateKey, string) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return key, string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
})

// appEmulatorConfig knows App 42, installed as 7, whose installation tokens last lifetime; it
// accepts no other token.
func appEmulatorConfig(lifetime time.Duration) emulator.Config {
	key, _ := appKeyPEM()
	cfg := defaultEmulatorConfig()
	cfg.Tokens = []string{"no-token-is-accepted"}
	cfg.App = &emulator.App{ID: "42", PublicKey: &key.PublicKey, Installations: []int64{7}, TokenLifetime: lifetime}
	return cfg
}

// A GitHub App's installation tokens last 2 minutes here, renewed 30 s early, and the run takes
// 3 minutes of a fake clock the emulator shares, polled every 10 s: the token the apply starts
// with expires during it, so the apply succeeds only if tokens are renewed before they expire
// (the emulator refuses an expired one).
func TestAppAuthRenewsInstallationTokensDuringAnApply(t *testing.T) {
	t.Parallel()
	cfg := appEmulatorConfig(2 * time.Minute)
	cfg.RunQueued, cfg.RunInProgress = time.Minute, 2*time.Minute
	tt, _ := fakeClockTarget(t, cfg, WithAppTokenRefreshBefore(30*time.Second), WithBackoff(wait.Backoff{Initial: 10 * time.Second, Max: 10 * time.Second, Factor: 1}))
	emu := tt.needsEmulator(t)
	_, keyPEM := appKeyPEM()
	keyFile := filepath.Join(t.TempDir(), "app.pem")
	if err := os.WriteFile(keyFile, []byte(keyPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	provider := providerWith(tt.baseURL, fmt.Sprintf(`  write_delay = "0s"
  app_auth {
    id               = "42"
    installation_id  = 7
    private_key_file = %q
  }`, keyFile))
	tt.run(t, resource.TestCase{Steps: []resource.TestStep{{
		Config: provider + fmt.Sprintf(serviceSetup, ""),
		ConfigStateChecks: []statecheck.StateCheck{checkEmulator(func() error {
			if n := emu.AppTokensIssued(); n < 2 {
				return fmt.Errorf("%d installation tokens minted; want the first renewed", n)
			}
			for _, r := range emu.Requests() {
				if auth := r.Header.Get("Authorization"); !strings.HasPrefix(auth, "Bearer ghs_") && !strings.HasPrefix(r.Path, "/api-v3/app/") {
					return fmt.Errorf("%s %s carried %q, not an installation token", r.Method, r.Path, auth)
				}
			}
			return nil
		})},
	}}})
}

// clearCredentialEnvironment unsets every variable the provider reads credentials from.
func clearCredentialEnvironment(t *testing.T) {
	t.Helper()
	for _, name := range []string{envToken, envGHToken, envAppID, envAppInstallationID, envAppPrivateKey, envAppPEMFile} {
		t.Setenv(name, "")
	}
}

// stubGitHubCLI puts on PATH a gh that prints token for `auth token --hostname HOST` (or, when
// token is "", fails as a gh logged in nowhere does), and records the host it was asked for.
func stubGitHubCLI(t *testing.T, token string) (askedHost func() string) {
	t.Helper()
	dir := t.TempDir()
	record := filepath.Join(dir, "asked")
	script := "#!/bin/sh\necho \"$4\" > " + record + "\n"
	if token != "" {
		script += `[ "$1 $2 $3" = "auth token --hostname" ] && echo ` + token + " && exit 0\n"
	}
	script += "echo \"no oauth token found for $4\" >&2\nexit 1\n"
	if err := os.WriteFile(filepath.Join(dir, "gh"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return func() string {
		raw, _ := os.ReadFile(record)
		return strings.TrimSpace(string(raw))
	}
}

// Not parallel: it changes PATH and the credential variables.
func TestGitHubCLIIsTheLastCredentialSource(t *testing.T) {
	clearCredentialEnvironment(t)
	askedHost := stubGitHubCLI(t, "gho_fromgh")
	cfg := defaultEmulatorConfig()
	cfg.Tokens = []string{"gho_fromgh"}
	tt := emulatorTarget(t, cfg)
	emu := tt.needsEmulator(t)
	tt.run(t, resource.TestCase{Steps: []resource.TestStep{{
		Config: providerWith(tt.baseURL, `  write_delay = "0s"`) + fmt.Sprintf(serviceSetup, ""),
		ConfigStateChecks: []statecheck.StateCheck{checkEmulator(func() error {
			host := strings.TrimPrefix(strings.Split(tt.baseURL, "/api-v3")[0], "http://")
			if askedHost() != host {
				return fmt.Errorf("gh was asked for host %q, want %q", askedHost(), host)
			}
			for _, r := range emu.Requests() {
				if r.Header.Get("Authorization") != "Bearer gho_fromgh" {
					return fmt.Errorf("%s %s without gh's token", r.Method, r.Path)
				}
			}
			return nil
		})},
	}}})
}

// Not parallel: it changes PATH and the credential variables.
func TestNoCredentialsSaysWhichSourcesWereTried(t *testing.T) {
	clearCredentialEnvironment(t)
	stubGitHubCLI(t, "")
	tt := emulatorTarget(t, defaultEmulatorConfig())
	tt.run(t, resource.TestCase{Steps: []resource.TestStep{{
		Config: providerWith(tt.baseURL, "") + fmt.Sprintf(serviceSetup, ""),
		ExpectError: regexp.MustCompile(`(?s)1\. the provider's token;.*app_auth.*3\. the GITHUB_TOKEN environment variable, then GH_TOKEN;` +
			`.*GITHUB_APP_ID.*5\. the GitHub CLI.*The GitHub CLI answered:.*no oauth token found for 127\.0\.0\.1`),
	}}})
}

// The documented order, source by source. Not parallel: it changes the environment.
func TestCredentialPrecedence(t *testing.T) {
	_, keyPEM := appKeyPEM()
	keyFile := filepath.Join(t.TempDir(), "app.pem")
	if err := os.WriteFile(keyFile, []byte(keyPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	block := &appAuthModel{ID: types.StringValue("42"), InstallationID: types.StringValue("7"), PrivateKey: types.StringNull(), PrivateKeyFile: types.StringValue(keyFile)}
	cases := []struct {
		name   string
		config providerModel
		env    map[string]string
		source string
	}{
		{"configured token first", providerModel{Token: types.StringValue("t-config")}, map[string]string{envToken: "t-env"}, "the provider's token"},
		{"then app_auth", providerModel{AppAuth: block}, map[string]string{envToken: "t-env"}, "the provider's app_auth block (GitHub App 42, installation 7)"},
		{"then GITHUB_TOKEN", providerModel{}, map[string]string{envToken: "t-env", envGHToken: "t-gh", envAppID: "42"}, "GITHUB_TOKEN"},
		{"then GH_TOKEN", providerModel{}, map[string]string{envGHToken: "t-gh"}, "GH_TOKEN"},
		{"then the App in the environment", providerModel{}, map[string]string{envAppID: "42", envAppInstallationID: "7", envAppPrivateKey: strings.ReplaceAll(keyPEM, "\n", `\n`)}, "the GITHUB_APP_* environment variables (GitHub App 42, installation 7)"},
		{"app_auth settings fall back to the environment", providerModel{AppAuth: &appAuthModel{}}, map[string]string{envAppID: "42", envAppInstallationID: "7", envAppPEMFile: keyFile}, "the provider's app_auth block (GitHub App 42, installation 7)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clearCredentialEnvironment(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			cred, diags := resolveCredential(context.Background(), tc.config, "https://api.github.com/")
			if diags.HasError() || cred.source != tc.source {
				t.Fatalf("source %q (%v); want %q", cred.source, diags, tc.source)
			}
			if cred.app != nil && !strings.Contains(string(cred.app.PrivateKey), "\n") {
				t.Fatal("an escaped key was not unfolded")
			}
		})
	}
	t.Run("an incomplete App in the environment is an error, not a silent fallback", func(t *testing.T) {
		clearCredentialEnvironment(t)
		t.Setenv(envAppID, "42")
		_, diags := resolveCredential(context.Background(), providerModel{}, "https://api.github.com/")
		if !diags.HasError() || !strings.Contains(diags[0].Detail(), "GITHUB_APP_INSTALLATION_ID") {
			t.Fatalf("diagnostics %v; want the missing variables named", diags)
		}
	})
}

// A TRACE run, with retries and App tokens: nothing Terraform or the provider logs holds the
// token, the App's private key, an installation token or the App's JWT. Not parallel: it sets
// the logging variables.
func TestTraceLogsHoldNoCredential(t *testing.T) {
	logFile := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	t.Setenv("TF_LOG_PATH_MASK", "")
	t.Setenv("TF_LOG_CORE", "")
	const token = "ghp_tracetesttoken0123456789abcdefghijkl"
	key, keyPEM := appKeyPEM()
	faults := netsim.Faults{Script: []netsim.Fault{netsim.FaultBadGateway, netsim.FaultReset, netsim.FaultSecondary403NR}}

	// With a token in the configuration.
	cfg := defaultEmulatorConfig()
	cfg.Faults = faults
	tt := emulatorTarget(t, cfg)
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: tt.factories, Steps: []resource.TestStep{{
		Config: providerWith(tt.baseURL, fmt.Sprintf("  token = %q\n  write_delay = \"0s\"", token)) + fmt.Sprintf(serviceSetup, ""),
	}}})

	// With a GitHub App whose key is in the configuration.
	cfg = appEmulatorConfig(time.Hour)
	cfg.Faults = faults
	appTarget := emulatorTarget(t, cfg)
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: appTarget.factories, Steps: []resource.TestStep{{
		Config: providerWith(appTarget.baseURL, fmt.Sprintf("  write_delay = \"0s\"\n  app_auth {\n    id = \"42\"\n    installation_id = \"7\"\n    private_key = %q\n  }", keyPEM)) +
			fmt.Sprintf(serviceSetup, ""),
	}}})

	raw, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	// The testing framework logs each step's configuration (sdk.helper_resource, "Setting
	// Terraform configuration"), which holds the test's own literal token and key; a user's
	// terraform run has no such entry. Every other entry, Terraform's and the provider's, is
	// searched.
	var kept []string
	for _, entry := range logEntry.Split(string(raw), -1) {
		if !strings.Contains(entry, "sdk.helper_resource: ") {
			kept = append(kept, entry)
		}
	}
	logs := strings.Join(kept, "\n")
	for _, want := range []string{"configured GitHub client", "GitHub request failed; retrying", "fetched a GitHub App installation token", "[TRACE]"} {
		if !strings.Contains(logs, want) {
			t.Fatalf("the log (%d bytes) lacks %q: it did not capture what the test needs", len(logs), want)
		}
	}
	secrets := map[string]string{
		"the token":                  token,
		"an installation token":      "ghs_",
		"the App's JWT":              "eyJhbGciOiJSUzI1NiIs",
		"the private key's modulus":  key.N.Text(16)[:32],
		"the private key's PEM type": "RSA PRIVATE KEY",
	}
	for _, line := range strings.Split(strings.TrimSpace(keyPEM), "\n")[1:4] {
		secrets["a line of the private key"] = line
		checkNotLogged(t, logs, secrets)
	}
	if n := appTarget.emulator.AppTokensIssued(); n == 0 {
		t.Fatal("no installation token was minted; the App run did not happen")
	}
}

// logEntry starts each entry of a Terraform log: a timestamp at the start of a line.
var logEntry = regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d`)

func checkNotLogged(t *testing.T, logs string, secrets map[string]string) {
	t.Helper()
	for what, secret := range secrets {
		if i := strings.Index(logs, secret); i >= 0 {
			start := max(0, i-700)
			t.Fatalf("the TRACE log holds %s:\n%s", what, logs[start:min(len(logs), i+200)])
		}
	}
}
