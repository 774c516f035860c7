package netsim

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// bearer is a Credential that accepts any bearer token, as the emulator does by default.
func bearer(r *http.Request) (string, bool) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return token, ok && token != ""
}

// stubClock is a clock the test advances by hand.
type stubClock struct {
	mu  sync.Mutex
	now time.Time
}

func newStubClock() *stubClock {
	return &stubClock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *stubClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stubClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// stubServer stands for the server behind the network: every request it serves is counted, and
// GETs and others alike are answered 200 with body() as JSON.
type stubServer struct {
	served atomic.Int32
	body   atomic.Value // string
}

func newStubServer() *stubServer {
	s := &stubServer{}
	s.body.Store(`{"ok":true}`)
	return s
}

func (s *stubServer) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	s.served.Add(1)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write([]byte(s.body.Load().(string))) //nolint:forcetypeassert // only strings are stored
}

// serve starts h on an httptest server that closes when the test ends; faults that drop the
// connection need a real one.
func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// send sends method to url with a bearer token ("" for none) and headers, and reads the answer.
func send(t *testing.T, method, url, token string, headers map[string]string) (*http.Response, []byte, error) {
	t.Helper()
	return sendContext(context.Background(), t, method, url, token, headers)
}

func sendContext(ctx context.Context, t *testing.T, method, url, token string, headers map[string]string) (*http.Response, []byte, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

func wantHeaders(t *testing.T, h http.Header, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
}

// answer is send for a request that must be answered: a dropped connection fails the test.
func answer(t *testing.T, method, url, token string, headers map[string]string) (*http.Response, []byte) {
	t.Helper()
	resp, body, err := send(t, method, url, token, headers)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	return resp, body
}
