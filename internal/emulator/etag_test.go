package emulator

import (
	"net/http"
	"testing"
)

func TestConditionalGETsAnswer304AndAreNotCharged(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	const path = "repos/octo-org/app/code-scanning/default-setup"
	first := a.do("GET", path, "")
	etag := first.header.Get("ETag")
	if first.status != http.StatusOK || etag == "" || first.header.Get("Cache-Control") == "" || first.header.Get("Vary") == "" {
		t.Fatalf("first GET: %d, ETag %q, Cache-Control %q, Vary %q", first.status, etag, first.header.Get("Cache-Control"), first.header.Get("Vary"))
	}

	resp, body, err := rawDo(t, "GET", a.base+path, "", map[string]string{"If-None-Match": etag})
	if err != nil || resp.StatusCode != http.StatusNotModified || len(body) != 0 {
		t.Fatalf("conditional GET: %v %q (%v); want 304 with no body", resp.Status, body, err)
	}
	wantHeaders(t, resp.Header, map[string]string{"ETag": etag, "X-RateLimit-Used": "1", "X-RateLimit-Remaining": "4999"})
	if a.emu.Network().NotModifiedCount() != 1 {
		t.Fatalf("NotModifiedCount = %d", a.emu.Network().NotModifiedCount())
	}

	// Weak and listed tags match too; a change makes a new tag.
	resp, _, _ = rawDo(t, "GET", a.base+path, "", map[string]string{"If-None-Match": `"other", ` + etag[2:]})
	if resp.StatusCode != http.StatusNotModified {
		t.Fatalf("a list holding the tag without W/: %d", resp.StatusCode)
	}
	a.emu.SetDefaultSetup("octo-org", "app", DefaultSetup{Languages: []string{"go"}})
	resp, _, _ = rawDo(t, "GET", a.base+path, "", map[string]string{"If-None-Match": etag})
	if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == etag {
		t.Fatalf("after a change: %d with ETag %q; want 200 and a new tag", resp.StatusCode, resp.Header.Get("ETag"))
	}
	wantHeaders(t, resp.Header, map[string]string{"X-RateLimit-Used": "2"})
}

func TestOnlySuccessfulGETsCarryETags(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	for _, got := range []response{
		a.do("PATCH", "repos/octo-org/app/code-scanning/default-setup", `{"state":"configured"}`),
		a.do("GET", "repos/octo-org/nope", ""),
	} {
		if got.header.Get("ETag") != "" {
			t.Fatalf("a %d answer has ETag %q", got.status, got.header.Get("ETag"))
		}
	}
}
