package transport

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"testing"
	"time"
)

func TestCacheDirCarriesThePointsBudgetToTheNextClient(t *testing.T) {
	t.Parallel()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("{}")) }))
	t.Cleanup(api.Close)
	base, _ := url.Parse(api.URL + "/")
	dir := filepath.Join(t.TempDir(), "cache")
	if err := openCacheDir(dir); err != nil {
		t.Fatal(err)
	}
	budget := func() *Limiter {
		l := NewLimiter(0, 0, 100)
		if err := l.OpenPointsLedger(dir, base.Host, "someone", time.Now()); err != nil {
			t.Fatal(err)
		}
		return l
	}

	first := &Retry{Next: http.DefaultTransport, Limits: budget(), Policy: RetryPolicy{}.WithDefaults(), APIPath: "/"}
	for range 3 {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, base.String()+"repos/o/r", nil)
		resp, err := first.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		drain(resp)
	}
	next := budget()
	points := 0
	for _, s := range next.points.spent {
		points += s.points
	}
	if points != 3 {
		t.Fatalf("the next client starts its minute with %d points; want the first client's 3 reads", points)
	}
}
