package netsim

import (
	"bytes"
	"net/http"
)

// BufferedAnswer is an http.ResponseWriter that holds a handler's answer so that a layer outside
// it can change the answer before sending it: ETags turns a 200 into a 304, and the emulator's
// GHES flavour takes out fields a release does not send. Unlike httptest.ResponseRecorder it
// sniffs no Content-Type and lives outside a test-support package.
type BufferedAnswer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

// NewBufferedAnswer returns an empty answer.
func NewBufferedAnswer() *BufferedAnswer { return &BufferedAnswer{header: http.Header{}} }

// Header is the answer's header, as the handler set it.
func (b *BufferedAnswer) Header() http.Header { return b.header }

// WriteHeader keeps the first status written, as net/http does.
func (b *BufferedAnswer) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

// Write appends to the body; a body written without a status is a 200, as net/http's.
func (b *BufferedAnswer) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

// Status is the status written, 200 if the handler wrote none.
func (b *BufferedAnswer) Status() int {
	if b.status == 0 {
		return http.StatusOK
	}
	return b.status
}

// Body is the body written so far.
func (b *BufferedAnswer) Body() []byte { return b.body.Bytes() }

// CopyHeaderTo copies the answer's header into w's (before w.WriteHeader).
func (b *BufferedAnswer) CopyHeaderTo(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range b.header {
		h[k] = v
	}
}
