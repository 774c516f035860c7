package emulator

import (
	"net/http"
	"slices"
)

// RecordedRequest is one request as the emulator received it, for tests that check what a client
// sent: the path (with the prefix), the query, the headers (Authorization included, so a test
// can prove a token went nowhere else) and the body.
type RecordedRequest struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   []byte
}

func (e *Emulator) record(r *http.Request, body []byte) {
	rec := RecordedRequest{
		Method:   r.Method,
		Path:     r.URL.Path,
		RawQuery: r.URL.RawQuery,
		Header:   r.Header.Clone(),
		Body:     slices.Clone(body),
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.requests = append(e.requests, rec)
}

// Requests returns copies of every request received since the start or the last ResetRequests,
// oldest first, including those an Intercept hook answered.
func (e *Emulator) Requests() []RecordedRequest {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]RecordedRequest, len(e.requests))
	for i, r := range e.requests {
		r.Header = r.Header.Clone()
		r.Body = slices.Clone(r.Body)
		out[i] = r
	}
	return out
}

// ResetRequests forgets the recorded requests.
func (e *Emulator) ResetRequests() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.requests = nil
}

// Intercept installs a fault hook, called for every request before authentication and routing
// (after recording and Latency). If it returns true it has written the answer and the emulator
// does nothing more; if false the request proceeds as usual. A hook can count requests to fail
// only the first few, to test retries. A later call replaces the hook; nil removes it.
func (e *Emulator) Intercept(fn func(w http.ResponseWriter, r *http.Request) bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.intercept = fn
}

func (e *Emulator) interceptHook() func(w http.ResponseWriter, r *http.Request) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.intercept
}
