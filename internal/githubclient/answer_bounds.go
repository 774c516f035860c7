package githubclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Bounds on what a server may send. An answer from a broken or hostile server, or from
// something between, is not believed past what GitHub could send: a default setup listing
// 20,000 languages made a plan take 264 s.

// Answer size limits. A page of 100 alerts, GitHub's largest JSON answer here, is under a
// megabyte; a SARIF log is bounded by GitHub's own upload limits (10 MB compressed, 25,000
// results a run), which a few hundred megabytes uncompressed covers.
const (
	maxJSONAnswerBytes  = 32 << 20
	maxSARIFAnswerBytes = 512 << 20
)

// answerHeadBytes is how much of an answer an error quotes when the answer does not decode.
const answerHeadBytes = 200

// maxDefaultSetupLanguages is far above the languages CodeQL analyses (ten, under some twenty
// names, old and new) and far below what would slow a plan.
const maxDefaultSetupLanguages = 64

// answerLimit is how many bytes of req's answer are read before it is refused.
func answerLimit(req *http.Request) int64 {
	if strings.Contains(req.Header.Get("Accept"), SARIFMediaType) {
		return maxSARIFAnswerBytes
	}
	return maxJSONAnswerBytes
}

// AnswerTooLargeError is an answer cut off at the client's limit.
type AnswerTooLargeError struct{ Limit int64 }

func (e *AnswerTooLargeError) Error() string {
	return fmt.Sprintf("the answer is larger than the %d MiB the client accepts for it", e.Limit>>20)
}

// ImplausibleAnswerError is an answer that decoded but holds what GitHub could not have sent.
type ImplausibleAnswerError struct{ What string }

func (e *ImplausibleAnswerError) Error() string { return "the answer is not plausible: " + e.What }

// checkDefaultSetupLanguages refuses a languages list no GitHub would send.
func checkDefaultSetupLanguages(languages []string) error {
	if len(languages) > maxDefaultSetupLanguages {
		return &ImplausibleAnswerError{What: fmt.Sprintf("it lists %d languages, where CodeQL analyses a few dozen at most (the client accepts %d)", len(languages), maxDefaultSetupLanguages)}
	}
	for _, l := range languages {
		if len(l) > 64 {
			return &ImplausibleAnswerError{What: fmt.Sprintf("it names a language of %d characters", len(l))}
		}
	}
	return nil
}

// UndecodableAnswerError is a 2xx answer whose body is not the JSON the operation expects: an
// HTML page from a proxy or a captive portal, a truncated body, a wrong base_url's answer.
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

// asUndecodable explains a decode error of a 2xx answer with what came, or returns nil when err
// is not one.
func asUndecodable(resp *http.Response, err error) error {
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
