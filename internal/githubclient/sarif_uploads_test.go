package githubclient

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// uploadSarif posts a SARIF log of version to octo-org/service as GitHub wants it (gzip, then
// base64) and returns the upload's id. The client has no upload operation; the test speaks HTTP.
func uploadSarif(t *testing.T, c *Client, version string) string {
	t.Helper()
	log := map[string]any{"version": version, "runs": []any{map[string]any{
		"tool":    map[string]any{"driver": map[string]any{"name": "ExtScan", "rules": []any{map[string]any{"id": "ext/injection"}}}},
		"results": []any{},
	}}}
	raw, err := json.Marshal(log)
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	if _, err := zw.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf(`{"commit_sha":%q,"ref":"refs/heads/main","sarif":%q}`, strings.Repeat("4b6472266a", 4), base64.StdEncoding.EncodeToString(gz.Bytes()))
	req, err := http.NewRequest(http.MethodPost, c.BaseURL()+"repos/octo-org/service/code-scanning/sarifs", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer secret-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var accepted struct{ ID string }
	if err := json.NewDecoder(resp.Body).Decode(&accepted); err != nil || resp.StatusCode != http.StatusAccepted || accepted.ID == "" {
		t.Fatalf("upload: status %d, id %q, %v", resp.StatusCode, accepted.ID, err)
	}
	return accepted.ID
}

func TestGetSarifUploadReportsEachProcessingStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	slow, _ := newTestClient(t, emulator.Config{SarifProcessing: time.Hour})
	fast, _ := newTestClient(t, emulator.Config{})
	cases := []struct {
		name, version string
		c             *Client
		want          string
		analyses      bool
		errors        bool
	}{
		{"pending while GitHub processes it", "2.1.0", slow, SarifPending, false, false},
		{"complete with its analyses", "2.1.0", fast, SarifComplete, true, false},
		{"failed with GitHub's errors", "1.0.0", fast, SarifFailed, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			id := uploadSarif(t, tc.c, tc.version)
			got, err := tc.c.GetSarifUpload(ctx, service, id)
			if err != nil {
				t.Fatal(err)
			}
			if got.ProcessingStatus != tc.want || (got.AnalysesURL != nil) != tc.analyses || (len(got.Errors) > 0) != tc.errors {
				t.Fatalf("GetSarifUpload = %+v; want %s, analyses_url %v, errors %v", got, tc.want, tc.analyses, tc.errors)
			}
			if tc.analyses && !strings.HasSuffix(*got.AnalysesURL, "/code-scanning/analyses?sarif_id="+id) {
				t.Errorf("analyses_url = %s", *got.AnalysesURL)
			}
			if tc.errors && !slices.ContainsFunc(got.Errors, func(e string) bool { return strings.Contains(e, "1.0.0") }) {
				t.Errorf("errors = %q; want the unsupported version named", got.Errors)
			}
		})
	}
	if _, err := fast.GetSarifUpload(ctx, service, "6c81cd8e-b078-4ac3-a3be-000000000000"); !IsNotFound(err) {
		t.Fatalf("an unknown upload gave %v; want a 404", err)
	}
}
