package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// started is a running emulator command: the base_url it printed, its banner, and the lines it
// writes afterwards.
type started struct {
	baseURL string
	banner  string
	lines   chan string
}

// start runs the command in-process on a free port, as `go run ./internal/cmd/emulator` would,
// and reads its banner. It stops when the test ends, and the test fails if it did not stop
// cleanly.
func start(t *testing.T, args ...string) started {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), pw, io.Discard)
		_ = pw.Close()
	}()
	s := started{lines: make(chan string, 1000)}
	bannerRead := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(pr)
		var banner strings.Builder
		inBanner := true
		for sc.Scan() {
			line := sc.Text()
			if inBanner {
				banner.WriteString(line + "\n")
				if f := strings.Fields(line); len(f) == 2 && f[0] == "base_url" {
					s.baseURL = f[1]
				}
				if strings.HasPrefix(line, "Ctrl-C stops it") {
					s.banner = banner.String()
					inBanner = false
					close(bannerRead)
				}
				continue
			}
			s.lines <- line
		}
		close(s.lines)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("the emulator did not stop cleanly: %v", err)
		}
	})
	select {
	case <-bannerRead:
	case err := <-done:
		t.Fatalf("the emulator stopped before serving: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("no banner within 30s")
	}
	if s.baseURL == "" {
		t.Fatalf("the banner names no base_url:\n%s", s.banner)
	}
	return s
}

// get sends an API request with a token and decodes the JSON answer into out (when not nil).
func (s started) get(t *testing.T, method, path, token string, out any) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, s.baseURL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/vnd.github+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return resp
}

// nextLine is the next request log line.
func (s started) nextLine(t *testing.T) string {
	t.Helper()
	select {
	case line := <-s.lines:
		return line
	case <-time.After(10 * time.Second):
		t.Fatal("no request log line within 10s")
		return ""
	}
}

func TestEmulatorServesTheStandardSeed(t *testing.T) {
	s := start(t)
	if !strings.HasSuffix(s.baseURL, "/api/v3/") {
		t.Errorf("base_url %q, want the API under /api/v3/", s.baseURL)
	}
	for _, want := range []string{
		"token     " + defaultToken,
		"provider \"codescanning\" {\n  base_url = \"" + s.baseURL + "\"\n  owner    = \"octo-org\"\n}",
		"export GITHUB_BASE_URL=" + s.baseURL + " GITHUB_TOKEN=" + defaultToken + " GITHUB_OWNER=octo-org",
		"no-advanced-security", "archived-service",
	} {
		if !strings.Contains(s.banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, s.banner)
		}
	}

	var alerts []map[string]any
	s.get(t, "GET", "repos/octo-org/payments-api/code-scanning/alerts?per_page=100", defaultToken, &alerts)
	// 40 seeded, 2 of them found only in pull requests, which a list without ref leaves out.
	if len(alerts) != 38 {
		t.Errorf("payments-api lists %d alerts, want the 38 of the 40 seeded that are on the default branch", len(alerts))
	}
	if line := s.nextLine(t); !strings.Contains(line, "GET /api/v3/repos/octo-org/payments-api/code-scanning/alerts?per_page=100 200 ") {
		t.Errorf("request log line %q does not give the request and its status", line)
	}

	var analyses []map[string]any
	s.get(t, "GET", "repos/octo-org/payments-api/code-scanning/analyses", defaultToken, &analyses)
	if len(analyses) == 0 {
		t.Error("payments-api has no analyses")
	}
	var databases []map[string]any
	s.get(t, "GET", "repos/octo-org/payments-api/code-scanning/codeql/databases", defaultToken, &databases)
	if len(databases) != 2 {
		t.Errorf("payments-api has %d CodeQL databases, want 2 (go, javascript-typescript)", len(databases))
	}
	var setup struct {
		State     string   `json:"state"`
		Languages []string `json:"languages"`
	}
	s.get(t, "GET", "repos/octo-org/data-pipeline/code-scanning/default-setup", defaultToken, &setup)
	if setup.State != "configured" || strings.Join(setup.Languages, ",") != "python" {
		t.Errorf("data-pipeline default setup = %+v, want configured with python", setup)
	}
	if resp := s.get(t, "GET", "repos/octo-org/no-advanced-security/code-scanning/default-setup", defaultToken, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("no-advanced-security answered %d, want 403", resp.StatusCode)
	}
	var archived struct {
		Archived bool `json:"archived"`
	}
	s.get(t, "GET", "repos/octo-org/archived-service", defaultToken, &archived)
	if !archived.Archived {
		t.Error("archived-service is not archived")
	}

	for range 5 { // the five requests above
		if line := s.nextLine(t); strings.Contains(line, defaultToken) {
			t.Errorf("request log line %q holds the token", line)
		}
	}
}

func TestEmulatorFlagsTurnTheKnobs(t *testing.T) {
	t.Run("token", func(t *testing.T) {
		s := start(t, "-token", "only-this", "-quiet")
		if !strings.Contains(s.banner, "token     only-this   (the only token accepted)") {
			t.Errorf("banner does not offer the -token:\n%s", s.banner)
		}
		if resp := s.get(t, "GET", "repos/octo-org/payments-api", "another", nil); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("another token answered %d, want 401", resp.StatusCode)
		}
		if resp := s.get(t, "GET", "repos/octo-org/payments-api", "only-this", nil); resp.StatusCode != http.StatusOK {
			t.Errorf("the -token answered %d, want 200", resp.StatusCode)
		}
	})
	t.Run("fault script", func(t *testing.T) {
		s := start(t, "-fault-script", "503,none,secondary-429", "-fault-match", "^GET /api/v3/repos/")
		want := []int{http.StatusServiceUnavailable, http.StatusOK, http.StatusTooManyRequests, http.StatusOK}
		for i, status := range want {
			if resp := s.get(t, "GET", "repos/octo-org/payments-api", defaultToken, nil); resp.StatusCode != status {
				t.Errorf("request %d answered %d, want %d", i+1, resp.StatusCode, status)
			}
		}
		if line := s.nextLine(t); !strings.Contains(line, " 503 ") {
			t.Errorf("request log line %q does not show the injected 503", line)
		}
	})
	t.Run("fault probability", func(t *testing.T) {
		s := start(t, "-fault-probability", "1", "-faults", "500", "-fault-match", "^PATCH ", "-quiet")
		if resp := s.get(t, "GET", "repos/octo-org/payments-api/code-scanning/default-setup", defaultToken, nil); resp.StatusCode != http.StatusOK {
			t.Errorf("a GET, which -fault-match leaves alone, answered %d, want 200", resp.StatusCode)
		}
		if resp := s.get(t, "PATCH", "repos/octo-org/payments-api/code-scanning/default-setup", defaultToken, nil); resp.StatusCode != http.StatusInternalServerError {
			t.Errorf("a PATCH answered %d, want the 500 of -faults", resp.StatusCode)
		}
	})
	t.Run("ghes", func(t *testing.T) {
		s := start(t, "-ghes", "3.17.2", "-quiet")
		if !strings.Contains(s.banner, "GitHub Enterprise Server 3.17.2") {
			t.Errorf("banner does not say GHES:\n%s", s.banner)
		}
		if got := s.get(t, "GET", "repos/octo-org/payments-api", defaultToken, nil).Header.Get("X-GitHub-Enterprise-Version"); got != "3.17.2" {
			t.Errorf("X-GitHub-Enterprise-Version = %q, want 3.17.2", got)
		}
	})
	t.Run("no-change status", func(t *testing.T) {
		s := start(t, "-no-change-status", "202", "-quiet")
		req, _ := http.NewRequest("PATCH", s.baseURL+"repos/octo-org/data-pipeline/code-scanning/default-setup",
			strings.NewReader(`{"state":"configured","languages":["python"]}`))
		req.Header.Set("Authorization", "Bearer "+defaultToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted {
			t.Errorf("a PATCH that changes nothing answered %d, want 202", resp.StatusCode)
		}
	})
	t.Run("token permissions", func(t *testing.T) {
		s := start(t, "-token-permissions", "administration=read", "-quiet")
		if !strings.Contains(s.banner, "a fine-grained token with only administration=read") {
			t.Errorf("banner does not say the token is fine-grained:\n%s", s.banner)
		}
		if resp := s.get(t, "GET", "repos/octo-org/payments-api/code-scanning/default-setup", defaultToken, nil); resp.StatusCode != http.StatusOK {
			t.Errorf("reading default setup with administration=read answered %d, want 200", resp.StatusCode)
		}
		resp := s.get(t, "PATCH", "repos/octo-org/payments-api/code-scanning/default-setup", defaultToken, nil)
		if got := resp.Header.Get("X-Accepted-GitHub-Permissions"); resp.StatusCode != http.StatusForbidden || got != "administration=write" {
			t.Errorf("changing default setup answered %d with X-Accepted-GitHub-Permissions %q, want 403 and administration=write", resp.StatusCode, got)
		}
	})
	t.Run("org role", func(t *testing.T) {
		member := start(t, "-org-role", "member", "-quiet")
		if resp := member.get(t, "GET", "orgs/octo-org/code-scanning/alerts", defaultToken, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("a member listing the organization's alerts got %d, want 404", resp.StatusCode)
		}
		manager := start(t, "-org-role", "security_manager", "-quiet")
		if resp := manager.get(t, "GET", "orgs/octo-org/code-scanning/alerts", defaultToken, nil); resp.StatusCode != http.StatusOK {
			t.Errorf("a security manager listing the organization's alerts got %d, want 200", resp.StatusCode)
		}
	})
	var keyFile string
	t.Run("app", func(t *testing.T) {
		s := start(t, "-app", "-app-permissions", "administration=write,metadata=read", "-quiet")
		m := regexp.MustCompile(`(?s)app_auth \{\n    id               = "123456"\n    installation_id  = "7654321"\n    private_key_file = "([^"]+)"`).FindStringSubmatch(s.banner)
		if m == nil {
			t.Fatalf("banner has no app_auth block:\n%s", s.banner)
		}
		keyFile = m[1]
		token := installationTokenFor(t, s, keyFile)
		if resp := s.get(t, "PATCH", "repos/octo-org/payments-api/code-scanning/default-setup", token, nil); resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusUnauthorized {
			t.Errorf("the installation token, with administration=write, was refused a default setup change: %d", resp.StatusCode)
		}
		if resp := s.get(t, "GET", "repos/octo-org/payments-api/code-scanning/alerts", token, nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("the installation token, without security_events, listed alerts: %d, want 403", resp.StatusCode)
		}
	})
	if _, err := os.Stat(keyFile); keyFile != "" && !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the App's key file %s is still there after the emulator stopped (%v)", keyFile, err)
	}
	t.Run("scale seed and path prefix", func(t *testing.T) {
		s := start(t, "-seed", "scale", "-repositories", "3", "-alerts", "4", "-owner", "big-org", "-path-prefix", "/", "-quiet")
		if strings.Contains(s.baseURL, "/api/v3") {
			t.Errorf("base_url %q, want the API at the root", s.baseURL)
		}
		var alerts []map[string]any
		s.get(t, "GET", "orgs/big-org/code-scanning/alerts?per_page=100", defaultToken, &alerts)
		if len(alerts) == 0 || len(alerts) > 12 {
			t.Errorf("the organization lists %d default-branch alerts, want 1 to 12 of the 3x4 seeded", len(alerts))
		}
		if resp := s.get(t, "GET", "repos/big-org/service-0003", defaultToken, nil); resp.StatusCode != http.StatusOK {
			t.Errorf("service-0003 answered %d, want 200", resp.StatusCode)
		}
		if resp := s.get(t, "GET", "repos/big-org/service-0004", defaultToken, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("service-0004 answered %d, want 404 (only 3 seeded)", resp.StatusCode)
		}
	})
}

// -provider writes the CLI configuration a local build needs, through tfcli as the demo and the
// e2e tests do, prints the TF_CLI_CONFIG_FILE to export, and deletes it when it stops.
func TestEmulatorProviderFlagWritesADevOverridesConfigUntilItStops(t *testing.T) {
	t.Parallel()
	provider := filepath.Join(t.TempDir(), "bin", "terraform-provider-codescanning")
	if err := os.MkdirAll(filepath.Dir(provider), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(provider, nil, 0o700); err != nil {
		t.Fatal(err)
	}
	var config string
	// Registered before start's own cleanup, so it runs after the emulator has stopped.
	t.Cleanup(func() {
		if _, err := os.Stat(config); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the CLI configuration %s is still there after the emulator stopped: %v", config, err)
		}
	})
	s := start(t, "-quiet", "-provider", provider)
	m := regexp.MustCompile(`export TF_CLI_CONFIG_FILE=(\S+)`).FindStringSubmatch(s.banner)
	if m == nil {
		t.Fatalf("the banner says no TF_CLI_CONFIG_FILE to export:\n%s", s.banner)
	}
	config = m[1]
	b, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"dev_overrides", `"registry.terraform.io/codescanning/codescanning" = "` + filepath.Dir(provider) + `"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the CLI configuration lacks %s:\n%s", want, b)
		}
	}
}

func TestEmulatorRefusesBadFlagsNamingThem(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-addr", "0.0.0.0:0"}, "-addr \"0.0.0.0:0\": only loopback addresses"},
		{[]string{"-addr", "8080"}, "-addr \"8080\""},
		{[]string{"-seed", "huge"}, "-seed \"huge\": want one of scale, standard"},
		{[]string{"-faults", "500,teapot"}, "-faults: unknown fault \"teapot\""},
		{[]string{"-faults", "none"}, "-faults: unknown fault \"none\""},
		{[]string{"-fault-script", "reset,bogus"}, "-fault-script: unknown fault \"bogus\""},
		{[]string{"-fault-match", "("}, "-fault-match:"},
		{[]string{"-fault-probability", "1.5"}, "-fault-probability 1.5: want a number from 0 to 1"},
		{[]string{"-no-change-status", "201"}, "-no-change-status 201: want 200 or 202"},
		{[]string{"-enforced-setup-status", "409"}, "-enforced-setup-status 409: want 403 or 422"},
		{[]string{"-unlicensed-attachment", "maybe"}, `-unlicensed-attachment "maybe": want failed or free-features`},
		{[]string{"-repositories", "0"}, "-repositories must be at least 1"},
		{[]string{"extra"}, "unexpected argument \"extra\""},
		{[]string{"-token-permissions", "admin=write"}, "-token-permissions: \"admin=write\" is not NAME=read or NAME=write"},
		{[]string{"-token-permissions", "contents=admin"}, "-token-permissions: \"contents=admin\""},
		{[]string{"-org-role", "boss"}, "-org-role \"boss\": want one of owner, security_manager, member"},
		{[]string{"-app-permissions", "actions=read"}, "-app-permissions needs -app"},
		{[]string{"-provider", "/nonexistent/terraform-provider-codescanning"}, "-provider \"/nonexistent/terraform-provider-codescanning\": want the path of a built"},
	} {
		err := run(context.Background(), tc.args, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want one containing %q", tc.args, err, tc.want)
		}
	}
	if err := run(context.Background(), []string{"-help"}, io.Discard, io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-help: %v, want flag.ErrHelp (main exits 0)", err)
	}
}

// installationTokenFor mints an installation token as app_auth does: a JWT signed with the App's
// key, exchanged at POST app/installations/{id}/access_tokens.
func installationTokenFor(t *testing.T, s started, keyFile string) string {
	t.Helper()
	pemBytes, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	key, err := jwt.ParseRSAPrivateKeyFromPEM(pemBytes)
	if err != nil {
		t.Fatalf("the App's key file: %v", err)
	}
	now := time.Now()
	signed, err := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.RegisteredClaims{
		Issuer: appID, IssuedAt: jwt.NewNumericDate(now.Add(-time.Minute)), ExpiresAt: jwt.NewNumericDate(now.Add(5 * time.Minute)),
	}).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", s.baseURL+"app/installations/7654321/access_tokens", nil)
	req.Header.Set("Authorization", "Bearer "+signed)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var minted struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&minted); err != nil || resp.StatusCode != http.StatusCreated || minted.Token == "" {
		t.Fatalf("minting an installation token: %d %v", resp.StatusCode, err)
	}
	return minted.Token
}
