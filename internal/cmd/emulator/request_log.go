package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// logRequests serves emu and writes one line per request: time, method, path and query, status
// (or "reset" for a dropped connection) and duration. Headers are never written: they hold the
// token. The emulator records every request for tests to inspect; a server that runs for hours
// must not keep them, so they are forgotten after each answer.
func logRequests(emu *emulator.Emulator, out io.Writer, quiet bool) http.Handler {
	api := emu.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			emu.ResetRequests()
			if quiet {
				return
			}
			status := fmt.Sprint(sw.status)
			switch {
			case sw.hijacked:
				status = "reset"
			case sw.status == 0:
				status = "aborted"
			}
			fmt.Fprintf(out, "%s %s %s %s %s\n", start.Format("15:04:05"), r.Method, r.URL.RequestURI(), status,
				time.Since(start).Round(100*time.Microsecond))
		}()
		api.ServeHTTP(sw, r)
	})
}

// statusWriter remembers the status of an answer. It passes Hijack on, as the emulator's
// connection-reset fault needs it.
type statusWriter struct {
	http.ResponseWriter
	status   int
	hijacked bool
}

func (s *statusWriter) WriteHeader(status int) {
	if s.status == 0 {
		s.status = status
	}
	s.ResponseWriter.WriteHeader(status)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := s.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, http.ErrNotSupported
	}
	s.hijacked = true
	return h.Hijack()
}

// lockedWriter serializes the lines of concurrent requests.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}
