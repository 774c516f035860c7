package githubclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/transport"
)

// answerDefaultSetup has the emulator answer default-setup GETs 200 with body, as contentType.
func answerDefaultSetup(emu *emulator.Emulator, contentType string, body func(w http.ResponseWriter, r *http.Request)) {
	emu.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, "/code-scanning/default-setup") {
			return false
		}
		w.Header().Set("Content-Type", contentType)
		body(w, r)
		return true
	})
}

func TestImplausibleLanguagesAreRefused(t *testing.T) {
	t.Parallel()
	emu, base := newFaultyEmulator(t, emulator.Config{})
	answerDefaultSetup(emu, "application/json; charset=utf-8", func(w http.ResponseWriter, _ *http.Request) {
		languages := make([]string, 20000)
		for i := range languages {
			languages[i] = fmt.Sprintf("%q", fmt.Sprintf("lang-%d", i))
		}
		fmt.Fprintf(w, `{"state":"configured","languages":[%s],"query_suite":"default"}`, strings.Join(languages, ","))
	})
	c, _ := transportClient(t, base, nil)
	_, err := c.GetDefaultSetup(context.Background(), service)
	var implausible *ImplausibleAnswerError
	if !errors.As(err, &implausible) || !strings.Contains(err.Error(), "20000 languages") {
		t.Fatalf("error = %v; want the 20,000 languages refused", err)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusOK {
		t.Fatalf("error = %v; want the 200 kept, so the provider advises on an answer not GitHub's", err)
	}
}

func TestAnswersOverTheSizeLimitAreRefused(t *testing.T) {
	t.Parallel()
	emu, base := newFaultyEmulator(t, emulator.Config{})
	answerDefaultSetup(emu, "application/json; charset=utf-8", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"state":"configured","query_suite":"`))
		chunk := []byte(strings.Repeat("a", 1<<20))
		for range transport.MaxJSONAnswerBytes>>20 + 1 {
			if _, err := w.Write(chunk); err != nil {
				return // the client stopped reading
			}
		}
		_, _ = w.Write([]byte(`"}`))
	})
	c, _ := transportClient(t, base, nil)
	_, err := c.GetDefaultSetup(context.Background(), service)
	var tooLarge *AnswerTooLargeError
	if !errors.As(err, &tooLarge) || tooLarge.Limit != transport.MaxJSONAnswerBytes {
		t.Fatalf("error = %v; want the answer refused at %d bytes", err, transport.MaxJSONAnswerBytes)
	}
}

// An answer that is not GitHub's JSON is reported with the parse error and the first bytes that
// came, not as "GitHub answered 200: OK"; a credential the page echoes is masked there too.
func TestUndecodableAnswersSayWhatCame(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, contentType, body string
		want                    []string
	}{
		{"proxy page", "text/html", `<html><body>Proxy login. You sent: Authorization: Bearer secret-token</body></html>`,
			[]string{"answered 200, but", "text/html", "invalid character '<'", "<html><body>Proxy login", "Bearer ***"}},
		{"truncated JSON", "application/json; charset=utf-8", `{"state":"configured","langu`,
			[]string{"answered 200, but", "unexpected EOF", `{\"state\":\"configured\",\"langu`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			emu, base := newFaultyEmulator(t, emulator.Config{})
			answerDefaultSetup(emu, tc.contentType, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(tc.body)) })
			c, _ := transportClient(t, base, nil)
			_, err := c.GetDefaultSetup(context.Background(), service)
			if err == nil {
				t.Fatal("the answer decoded")
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			if strings.Contains(err.Error(), "secret-token") || strings.Contains(err.Error(), ": OK") {
				t.Errorf("error %q: want neither the token nor a bare status", err)
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusOK || !errors.As(err, new(*UndecodableAnswerError)) {
				t.Errorf("error %v; want the 200 with an UndecodableAnswerError, which the provider advises on", err)
			}
		})
	}
}
