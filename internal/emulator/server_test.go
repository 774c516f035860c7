package emulator

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestInterceptAnswersFirst(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	var calls atomic.Int32
	a.emu.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		if calls.Add(1) > 1 {
			return false
		}
		http.Error(w, `{"message":"Server Error"}`, http.StatusBadGateway)
		return true
	})
	if got := a.do("GET", "repos/octo-org/app", ""); got.status != http.StatusBadGateway {
		t.Errorf("first request: status %d, want the hook's 502", got.status)
	}
	if got := a.do("GET", "repos/octo-org/app", ""); got.status != http.StatusOK {
		t.Errorf("second request: status %d, want the emulator's 200", got.status)
	}

	a.emu.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		body, _ := io.ReadAll(r.Body)
		return string(body) == "never"
	})
	if got := a.do("PATCH", setupPath, `{"state":"configured"}`); got.status != http.StatusAccepted {
		t.Errorf("a hook that reads the body left the emulator %d", got.status)
	}
}

func TestRequestsAreRecorded(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	a.do("PATCH", setupPath+"?x=1", `{"state":"configured"}`)
	reqs := a.emu.Requests()
	if len(reqs) != 1 {
		t.Fatalf("recorded %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Method != "PATCH" || r.Path != "/api-v3/"+setupPath || r.RawQuery != "x=1" ||
		string(r.Body) != `{"state":"configured"}` || r.Header.Get("Authorization") != "Bearer "+testToken {
		t.Errorf("recorded %+v", r)
	}

	reqs[0].Body[0] = 'X'
	reqs[0].Header.Set("Authorization", "changed")
	if again := a.emu.Requests()[0]; again.Body[0] != '{' || again.Header.Get("Authorization") == "changed" {
		t.Error("Requests() returned the emulator's own slices")
	}

	a.emu.ResetRequests()
	if n := len(a.emu.Requests()); n != 0 {
		t.Errorf("%d requests after ResetRequests", n)
	}
}

func TestHandlerWithoutBaseURLUsesHost(t *testing.T) {
	t.Parallel()
	e := New(Config{PathPrefix: "/api/v3"})
	e.AddRepository(scanned("app"))
	req := httptest.NewRequest("PATCH", "http://ghe.internal/api/v3/"+setupPath, strings.NewReader(`{"state":"configured"}`))
	req.Header.Set("Authorization", "token x")
	w := httptest.NewRecorder()
	e.Handler().ServeHTTP(w, req)
	if w.Code != http.StatusAccepted || !strings.Contains(w.Body.String(), `"run_url":"http://ghe.internal/api/v3/repos/`) {
		t.Errorf("status %d, body %s", w.Code, w.Body)
	}
}

func TestServeListensOnLoopbackOnly(t *testing.T) {
	t.Parallel()
	e := New(Config{PathPrefix: "/api/v3"})
	e.AddRepository(scanned("app"))
	base, stop, err := e.Serve("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop(context.Background()) })
	if !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, "/api/v3/") {
		t.Errorf("base URL %s", base)
	}
	req, _ := http.NewRequest("GET", base+"repos/octo-org/app", nil)
	req.Header.Set("Authorization", "Bearer x")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status %d", resp.StatusCode)
	}

	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "no-port"} {
		if _, _, err := New(Config{}).Serve(addr); err == nil {
			t.Errorf("Serve(%q) accepted a non-loopback address", addr)
		}
	}
}
