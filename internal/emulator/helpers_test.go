package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const testToken = "ghp_emulatortest"

// scanned is a repository where default setup can be enabled: Advanced Security on, two
// languages detected.
func scanned(name string) Repository {
	return Repository{Owner: "octo-org", Name: name, AdvancedSecurity: true, Languages: []string{"python", "go"}}
}

// fakeClock lets a test step a run through its states without sleeping or racing the scheduler.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// newTestServer starts an emulator on an httptest server that closes when the test ends, under
// cfg.PathPrefix or "/api-v3", so a client that drops the prefix fails. Other packages' tests use
// emulatortest.NewServer, which cannot be imported here (it imports this package).
func newTestServer(t *testing.T, cfg Config) (*Emulator, string) {
	t.Helper()
	if normalizePathPrefix(cfg.PathPrefix) == "" {
		cfg.PathPrefix = "/api-v3"
	}
	e := New(cfg)
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	base := srv.URL + e.cfg.PathPrefix + "/"
	e.SetBaseURL(base)
	return e, base
}

// testAPI is an emulator on an httptest server and a client for it that checks every exchange
// against GitHub's OpenAPI description, so each behaviour test is also a contract test.
type testAPI struct {
	t     *testing.T
	emu   *Emulator
	base  string // ends in "/"
	token string
}

func newTestAPI(t *testing.T, cfg Config, repos ...Repository) *testAPI {
	t.Helper()
	emu, base := newTestServer(t, cfg)
	for _, r := range repos {
		emu.AddRepository(r)
	}
	return &testAPI{t: t, emu: emu, base: base, token: testToken}
}

// useFakeClock drives the emulator from a clock the test advances by hand.
func (a *testAPI) useFakeClock() *fakeClock {
	c := &fakeClock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	a.emu.mu.Lock()
	defer a.emu.mu.Unlock()
	a.emu.now = c.Now
	return c
}

type response struct {
	status int
	header http.Header
	body   []byte
	// requestErr is what the contract says about the request sent: nil if it is valid.
	requestErr error
}

// do sends method to path (relative to the base URL) with body ("" for none) and the test token.
func (a *testAPI) do(method, path, body string) response {
	a.t.Helper()
	return a.doURL(method, a.base+path, body)
}

// doURL is do for an absolute URL.
func (a *testAPI) doURL(method, url, body string) response {
	a.t.Helper()
	return a.doWith(method, url, body, map[string]string{"Authorization": "Bearer " + a.token})
}

// root is the server's root URL, outside the path prefix.
func (a *testAPI) root() string {
	u, err := url.Parse(a.base)
	if err != nil {
		a.t.Fatal(err)
	}
	return u.Scheme + "://" + u.Host + "/"
}

// doWith sends a request to an absolute URL with exactly the headers given (plus Content-Type when
// there is a body) and checks the exchange against the contract.
func (a *testAPI) doWith(method, target, body string, headers map[string]string) response {
	a.t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	r := response{status: resp.StatusCode, header: resp.Header, body: got}
	r.requestErr = checkContract(a.t, a.emu.cfg.EnterpriseVersion, a.base, req, []byte(body), r)
	return r
}

// object decodes the body as a JSON object.
func (r response) object(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", r.body, err)
	}
	return m
}

// expectError checks a GitHub error answer: the status, and the message (in full) and the status
// string in the body.
func (r response) expectError(t *testing.T, status int, message string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	var e basicError
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error body %q: %v", r.body, err)
	}
	if e.Message != message {
		t.Errorf("message = %q, want %q", e.Message, message)
	}
	if e.Status != strconv.Itoa(status) {
		t.Errorf("status field = %q, want %q", e.Status, strconv.Itoa(status))
	}
	if !strings.HasPrefix(e.DocumentationURL, "https://docs.github.com/rest") {
		t.Errorf("documentation_url = %q", e.DocumentationURL)
	}
}

// rawDo sends a request without checking the contract: some answers (a load balancer's 502
// page, a dropped connection, an App token) are not ones the API description could describe.
func rawDo(t *testing.T, method, url, body string, headers map[string]string) (*http.Response, []byte, error) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	return resp, got, err
}

func wantHeaders(t *testing.T, h http.Header, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
}
