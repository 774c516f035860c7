package netsim

import (
	"net/http"
	"testing"
)

func TestConditionalGETsAnswer304AndAreNotCharged(t *testing.T) {
	t.Parallel()
	stub := newStubServer()
	n := New(Config{Credential: bearer})
	url := serve(t, n.RateLimits(n.ETags(stub)))
	first, _, err := send(t, "GET", url, "t", nil)
	etag := first.Header.Get("ETag")
	if err != nil || first.StatusCode != http.StatusOK || etag == "" || first.Header.Get("Cache-Control") == "" || first.Header.Get("Vary") == "" {
		t.Fatalf("first GET: %v (%v), ETag %q, Cache-Control %q, Vary %q", first, err, etag, first.Header.Get("Cache-Control"), first.Header.Get("Vary"))
	}

	resp, body, err := send(t, "GET", url, "t", map[string]string{"If-None-Match": etag})
	if err != nil || resp.StatusCode != http.StatusNotModified || len(body) != 0 {
		t.Fatalf("conditional GET: %v %q (%v); want 304 with no body", resp, body, err)
	}
	wantHeaders(t, resp.Header, map[string]string{"ETag": etag, "X-RateLimit-Used": "1", "X-RateLimit-Remaining": "4999", "Content-Type": ""})
	if n.NotModifiedCount() != 1 {
		t.Fatalf("NotModifiedCount = %d", n.NotModifiedCount())
	}

	// Weak and listed tags match too; a change makes a new tag.
	resp, _ = answer(t, "GET", url, "t", map[string]string{"If-None-Match": `"other", ` + etag[2:]})
	if resp.StatusCode != http.StatusNotModified {
		t.Fatalf("a list holding the tag without W/: %d", resp.StatusCode)
	}
	stub.body.Store(`{"ok":false}`)
	resp, _ = answer(t, "GET", url, "t", map[string]string{"If-None-Match": etag})
	if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == etag {
		t.Fatalf("after a change: %d with ETag %q; want 200 and a new tag", resp.StatusCode, resp.Header.Get("ETag"))
	}
	wantHeaders(t, resp.Header, map[string]string{"X-RateLimit-Used": "2"})
}

func TestOnlySuccessfulGETsCarryETags(t *testing.T) {
	t.Parallel()
	n := New(Config{})
	ok := serve(t, n.ETags(newStubServer()))
	missing := serve(t, n.ETags(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"message":"Not Found"}`))
	})))
	for _, tc := range []struct{ method, url string }{{"PATCH", ok}, {"GET", missing}} {
		resp, _, err := send(t, tc.method, tc.url, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Header.Get("ETag") != "" {
			t.Fatalf("%s answered %d with ETag %q", tc.method, resp.StatusCode, resp.Header.Get("ETag"))
		}
	}
}
