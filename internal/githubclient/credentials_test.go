package githubclient

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// testAppKey is one RSA key for all App tests: generating one takes a noticeable moment.
var testAppKey = sync.OnceValue(func() *rsa.PrivateKey {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return key
})

func pkcs8PEM(t *testing.T, key *rsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// appEmulator knows App 42 with installation 7, whose tokens last lifetime, and accepts no
// other token.
func appEmulator(t *testing.T, lifetime time.Duration) (*emulator.Emulator, string) {
	t.Helper()
	return newFaultyEmulator(t, appEmulatorConfig(lifetime))
}

func appEmulatorConfig(lifetime time.Duration) emulator.Config {
	return emulator.Config{
		Tokens: []string{"not-used"},
		App:    &emulator.App{ID: "42", PublicKey: &testAppKey().PublicKey, Installations: []int64{7}, TokenLifetime: lifetime},
	}
}

func appCredentials(t *testing.T, refreshBefore time.Duration) *AppCredentials {
	return &AppCredentials{AppID: "42", InstallationID: 7, PrivateKey: pkcs8PEM(t, testAppKey()), RefreshBefore: refreshBefore}
}

func TestAppInstallationTokensAreRenewedBeforeTheyExpire(t *testing.T) {
	t.Parallel()
	// GitHub's hour-long tokens, renewed five minutes early (the defaults), read every ten
	// minutes for two hours and twenty minutes by a clock the emulator shares.
	cfg := appEmulatorConfig(0)
	fake, onClock := sharedFakeClock(&cfg)
	emu, base := newFaultyEmulator(t, cfg)
	c, logs := transportClient(t, base, func(cfg *Config) { onClock(cfg); cfg.Token, cfg.App = "", appCredentials(t, 0) })
	ctx := context.Background()
	for range 15 {
		if _, err := c.GetDefaultSetup(ctx, service); err != nil {
			t.Fatalf("read with an installation token: %v", err)
		}
		fake.Advance(10 * time.Minute)
	}
	// Minted at 0, renewed at 60 (55 is the first read past 0's renewal) and at 120.
	if n := emu.AppTokensIssued(); n != 3 {
		t.Fatalf("%d installation tokens were minted over 2h20m of tokens that last 1h; want each reused, then renewed (3)", n)
	}
	used := map[string]bool{}
	for _, r := range emu.Requests() {
		if r.Method == http.MethodGet {
			used[r.Header.Get("Authorization")] = true
		}
	}
	if len(used) != emu.AppTokensIssued() {
		t.Fatalf("reads used %d credentials, %d tokens were minted", len(used), emu.AppTokensIssued())
	}
	if strings.Contains(logs.all(), "ghs_") || strings.Contains(logs.all(), "PRIVATE KEY") {
		t.Fatalf("the log holds a credential:\n%s", logs.all())
	}
}

func TestAppCredentialErrorsSayWhichAndNeverHoldTheKey(t *testing.T) {
	t.Parallel()
	_, base := appEmulator(t, time.Hour)
	key := pkcs8PEM(t, testAppKey())
	cases := []struct {
		name string
		app  AppCredentials
		want string
	}{
		{"not a key", AppCredentials{AppID: "42", InstallationID: 7, PrivateKey: []byte("-----BEGIN NOTHING-----\nc2VjcmV0\n-----END NOTHING-----\n")}, "not an RSA key in PEM form"},
		{"unknown installation", AppCredentials{AppID: "42", InstallationID: 8, PrivateKey: key}, "404"},
		{"another App's key", AppCredentials{AppID: "43", InstallationID: 7, PrivateKey: key}, "Integration not found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(Config{BaseURL: base, App: &tc.app, Retry: fastRetry})
			if err == nil {
				_, err = c.GetDefaultSetup(context.Background(), service)
			}
			var credErr *CredentialError
			if !errors.As(err, &credErr) || !strings.Contains(err.Error(), "GitHub App "+tc.app.AppID+", installation "+strconv.FormatInt(tc.app.InstallationID, 10)) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v; want a CredentialError naming the App and installation, and %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "c2VjcmV0") || strings.Contains(err.Error(), string(key[40:80])) {
				t.Fatalf("the error holds the key: %v", err)
			}
			var apiErr *APIError
			if c != nil && (!errors.As(err, &apiErr) || apiErr.StatusCode != 0) {
				t.Fatalf("error = %v; want an APIError without a status, which the provider advises on as a credential", err)
			}
		})
	}
}

// Neither the installation token nor the App's JWT follows a run_url to another host: the run
// is read by id on the API host.
func TestAppCredentialsStayOnTheAPIHost(t *testing.T) {
	t.Parallel()
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request to another host: %s %s (Authorization %q)", r.Method, r.URL, r.Header.Get("Authorization"))
		http.Error(w, "no", http.StatusTeapot)
	}))
	t.Cleanup(elsewhere.Close)
	emu, base := appEmulator(t, time.Hour)
	c, _ := transportClient(t, base, func(cfg *Config) { cfg.Token, cfg.App = "", appCredentials(t, 0) })
	emu.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPatch {
			return false
		}
		rec := httptest.NewRecorder()
		emu.Intercept(nil)
		emu.Handler().ServeHTTP(rec, r)
		var run Run
		if err := json.Unmarshal(rec.Body.Bytes(), &run); err != nil {
			t.Errorf("PATCH answer %q: %v", rec.Body.String(), err)
		}
		run.URL = elsewhere.URL + "/repos/octo-org/service/actions/runs/" + strconv.FormatInt(run.ID, 10)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		_ = json.NewEncoder(w).Encode(run)
		return true
	})
	ctx := context.Background()
	run, err := c.UpdateDefaultSetup(ctx, service, DefaultSetupUpdate{State: StateConfigured})
	if err != nil || !strings.HasPrefix(run.URL, elsewhere.URL) {
		t.Fatalf("UpdateDefaultSetup = %+v, %v", run, err)
	}
	if _, err := c.WaitForRun(ctx, service, *run); err != nil {
		t.Fatalf("WaitForRun: %v", err)
	}
	for _, r := range emu.Requests() {
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			t.Fatalf("%s %s reached the API host without a credential", r.Method, r.Path)
		}
	}
}

// The same holds over plain HTTP: a URL with the API's host but another scheme is another host.
func TestCredentialsAreNotSentOverAnotherScheme(t *testing.T) {
	t.Parallel()
	var sent []string
	record := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent = append(sent, r.URL.Scheme+" "+r.Header.Get("Authorization"))
		return &http.Response{StatusCode: http.StatusNotFound, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	})
	c, err := New(Config{BaseURL: "https://api.github.com/", Token: "secret-token", Transport: record, Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, "http://api.github.com/repos/octo-org/service", nil)
	resp, err := c.gh.Client().Do(req)
	if err == nil {
		_ = resp.Body.Close()
	}
	if len(sent) != 1 || sent[0] != "http " {
		t.Fatalf("sent %q; want one plain-HTTP request without a credential", sent)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestGitHubCLIHostNamesTheGitHubGhKnows(t *testing.T) {
	t.Parallel()
	for apiRoot, want := range map[string]string{
		"https://api.github.com/":            "github.com",
		"https://api.octo.ghe.com/":          "octo.ghe.com",
		"https://github.example.com/api/v3/": "github.example.com",
		"http://127.0.0.1:8080/api-v3/":      "127.0.0.1:8080",
	} {
		if got := GitHubCLIHost(apiRoot); got != want {
			t.Errorf("GitHubCLIHost(%q) = %q, want %q", apiRoot, got, want)
		}
	}
}

// Not parallel: it puts a stub gh on PATH.
func TestTokenFromGitHubCLI(t *testing.T) {
	dir := t.TempDir()
	stub := "#!/bin/sh\n" +
		`if [ "$1 $2 $3 $4" = "auth token --hostname github.example.com" ]; then echo gho_fromgh; exit 0; fi` + "\n" +
		`echo "no oauth token found for $4" >&2; exit 1` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "gh"), []byte(stub), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	ctx := context.Background()
	if tok, err := TokenFromGitHubCLI(ctx, "github.example.com"); err != nil || tok != "gho_fromgh" {
		t.Fatalf("TokenFromGitHubCLI = %q, %v", tok, err)
	}
	if _, err := TokenFromGitHubCLI(ctx, "other.example.com"); err == nil || !strings.Contains(err.Error(), "no oauth token found for other.example.com") {
		t.Fatalf("error = %v; want gh's own message", err)
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := TokenFromGitHubCLI(ctx, "github.com"); !errors.Is(err, ErrGitHubCLINotFound) {
		t.Fatalf("error = %v; want ErrGitHubCLINotFound", err)
	}
}
