package transport

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// Bounds on what a server may send. An answer from a broken or hostile server, or from
// something between, is not believed past what GitHub could send.

// MaxJSONAnswerBytes is the default limit of an answer: a page of 100 alerts, GitHub's largest
// JSON answer here, is under a megabyte. Retry.AnswerLimit may allow more for some requests
// (a SARIF log).
const MaxJSONAnswerBytes = 32 << 20

// answerHeadBytes is how much of an answer an error quotes when the answer does not decode.
const answerHeadBytes = 200

// AnswerTooLargeError is an answer cut off at the client's limit.
type AnswerTooLargeError struct{ Limit int64 }

func (e *AnswerTooLargeError) Error() string {
	return fmt.Sprintf("the answer is larger than the %d MiB the client accepts for it", e.Limit>>20)
}

// UndecodableAnswerError is a 2xx answer whose body is not the JSON the operation expects: an
// HTML page from a proxy or a captive portal, a truncated body, a wrong base URL's answer.
type UndecodableAnswerError struct {
	ContentType string
	Head        []byte // the first bytes that came
	Err         error  // the parse error
}

func (e *UndecodableAnswerError) Error() string {
	kind := ""
	if e.ContentType != "" {
		kind = " (" + e.ContentType + ")"
	}
	if len(e.Head) == 0 {
		return fmt.Sprintf("the answer%s is empty, where JSON was expected: %v", kind, e.Err)
	}
	return fmt.Sprintf("the answer%s is not the JSON expected: %v; it began: %q", kind, e.Err, e.Head)
}

func (e *UndecodableAnswerError) Unwrap() error { return e.Err }

// AsUndecodable explains a decode error of a 2xx answer the transport returned with what came,
// or returns nil when err is not one.
func AsUndecodable(resp *http.Response, err error) error {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	if !errors.As(err, &syntax) && !errors.As(err, &typeErr) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil
	}
	u := &UndecodableAnswerError{ContentType: resp.Header.Get("Content-Type"), Err: err}
	if body, ok := resp.Body.(*attemptBody); ok {
		u.Head = body.head
	}
	return u
}
