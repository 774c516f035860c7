package githubclient

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/codescanning/terraform-provider-codescanning/internal/transport"
)

// Bounds on what a server may send. An answer from a broken or hostile server, or from
// something between, is not believed past what GitHub could send: a default setup listing
// 20,000 languages made a plan take 264 s. The transport bounds every answer's size
// (transport/answer_bounds.go); the operations bound what an answer may hold.

// maxSARIFAnswerBytes bounds a SARIF log, which GitHub's own upload limits bound (10 MB
// compressed, 25,000 results a run): a few hundred megabytes uncompressed covers it.
const maxSARIFAnswerBytes = 512 << 20

// maxDefaultSetupLanguages is far above the languages CodeQL analyses (ten, under some twenty
// names, old and new) and far below what would slow a plan.
const maxDefaultSetupLanguages = 64

// answerLimit is how many bytes of req's answer are read before it is refused.
func answerLimit(req *http.Request) int64 {
	if strings.Contains(req.Header.Get("Accept"), SARIFMediaType) {
		return maxSARIFAnswerBytes
	}
	return transport.MaxJSONAnswerBytes
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
