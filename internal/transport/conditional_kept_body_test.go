package transport

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// pagedAnswers answers GETs with body as a 200 with an ETag, or 304 to a request that names it,
// and records the If-None-Match of each request.
type pagedAnswers struct {
	body    func() io.ReadCloser
	ifNone  []string
	answers int
}

func (p *pagedAnswers) RoundTrip(r *http.Request) (*http.Response, error) {
	p.ifNone = append(p.ifNone, r.Header.Get("If-None-Match"))
	h := http.Header{"Etag": {`"v1"`}, "Content-Type": {"application/json"}}
	if r.Header.Get("If-None-Match") == `"v1"` {
		return &http.Response{StatusCode: http.StatusNotModified, Header: h, Body: http.NoBody, Request: r}, nil
	}
	p.answers++
	return &http.Response{StatusCode: http.StatusOK, Header: h, Body: p.body(), Request: r}, nil
}

func getVia(t *testing.T, rt http.RoundTripper, read func(io.Reader) error) error {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "https://api.example/repos/o/r", nil)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	return read(resp.Body)
}

func decodeJSON(r io.Reader) error { var v any; return json.NewDecoder(r).Decode(&v) }

// The body reaches the caller as it comes (the try's timeout above sees each read), and is
// stored once read: the next GET is revalidated, and a 304 gives the same body back. A JSON
// decoder stops after the value, so Close reads the rest for the store.
func TestKeptAnswerIsStoredAsTheCallerReadsIt(t *testing.T) {
	t.Parallel()
	const body = `{"state":"configured"}` + "\n"
	next := &pagedAnswers{body: func() io.ReadCloser { return io.NopCloser(strings.NewReader(body)) }}
	cache, err := NewConditional(next, "test", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := getVia(t, cache, decodeJSON); err != nil {
		t.Fatal(err)
	}
	var again []byte
	if err := getVia(t, cache, func(r io.Reader) (err error) { again, err = io.ReadAll(r); return err }); err != nil {
		t.Fatal(err)
	}
	if len(next.ifNone) != 2 || next.ifNone[1] != `"v1"` || next.answers != 1 {
		t.Fatalf("If-None-Match per request %q, %d bodies sent; want the second revalidated", next.ifNone, next.answers)
	}
	if string(again) != body {
		t.Fatalf("the 304 gave %q; want the stored %q", again, body)
	}
}

// cutShort gives some bytes, then fails as a try cut by its timeout does.
type cutShort struct{ given bool }

var errCut = errors.New("cut")

func (c *cutShort) Read(p []byte) (int, error) {
	if c.given {
		return 0, errCut
	}
	c.given = true
	return copy(p, `{"state":`), nil
}

func (c *cutShort) Close() error { return nil }

func TestAnswerCutShortIsNotStored(t *testing.T) {
	t.Parallel()
	next := &pagedAnswers{body: func() io.ReadCloser { return &cutShort{} }}
	cache, _ := NewConditional(next, "test", "", nil)
	for range 2 {
		if err := getVia(t, cache, decodeJSON); !errors.Is(err, errCut) {
			t.Fatalf("read error %v; want the cut", err)
		}
	}
	if next.ifNone[1] != "" {
		t.Fatalf("the GET after a cut answer was sent with If-None-Match %q: a partial body was stored", next.ifNone[1])
	}
}

// A page past maxCachedBody is handed on whole but not kept; a caller that gives an answer up
// leaves it unkept too, and Close does not read the rest of it.
func TestLargeOrAbandonedAnswersAreHandedOnNotStored(t *testing.T) {
	t.Parallel()
	large := `"` + strings.Repeat("a", maxCachedBody) + `"`
	next := &pagedAnswers{body: func() io.ReadCloser { return io.NopCloser(strings.NewReader(large)) }}
	cache, _ := NewConditional(next, "test", "", nil)
	var got []byte
	if err := getVia(t, cache, func(r io.Reader) (err error) { got, err = io.ReadAll(r); return err }); err != nil || len(got) != len(large) {
		t.Fatalf("read %d bytes, %v; want %d", len(got), err, len(large))
	}
	rest := &countingReader{Reader: strings.NewReader(large)}
	next.body = func() io.ReadCloser { return io.NopCloser(rest) }
	if err := getVia(t, cache, func(r io.Reader) error { _, err := r.Read(make([]byte, 10)); return err }); err != nil {
		t.Fatal(err)
	}
	if next.ifNone[1] != "" {
		t.Fatalf("a page past %d bytes was stored", maxCachedBody)
	}
	if rest.n > 10+keptBodyRest {
		t.Fatalf("Close read %d bytes of an answer the caller gave up after 10", rest.n)
	}
}

type countingReader struct {
	io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.Reader.Read(p)
	c.n += n
	return n, err
}
