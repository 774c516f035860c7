package provider

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// uploadSarif posts a SARIF log of the given version, with one ExtScan result, to a repository
// through the emulator's HTTP API, gzip-compressed and base64-encoded as GitHub wants it, and
// returns the upload's id.
func uploadSarif(t *testing.T, tt testTarget, repo, version string) string {
	t.Helper()
	log := map[string]any{"version": version, "runs": []any{map[string]any{
		"tool": map[string]any{"driver": map[string]any{"name": "ExtScan", "rules": []any{map[string]any{"id": "ext/injection"}}}},
		"results": []any{map[string]any{
			"ruleId":  "ext/injection",
			"message": map[string]any{"text": "Found ext/injection."},
			"locations": []any{map[string]any{"physicalLocation": map[string]any{
				"artifactLocation": map[string]any{"uri": "src/app.go"},
				"region":           map[string]any{"startLine": 10},
			}}},
		}},
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
	req, err := http.NewRequest(http.MethodPost, tt.baseURL+"repos/"+repo+"/code-scanning/sarifs", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer test-token")
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

func TestSarifUploadDataSourceFollowsProcessingFromPendingToCompleteOrFailed(t *testing.T) {
	t.Parallel()
	// Processing takes an hour, so the first step reads the uploads pending however slow the
	// machine; the second step moves the emulator's clock past it instead of waiting.
	const processing = time.Hour
	cfg := defaultEmulatorConfig()
	cfg.SarifProcessing = processing
	tt := emulatorTarget(t, cfg)
	emu := tt.needsEmulator(t)
	good := uploadSarif(t, tt, tt.repo, "2.1.0")
	bad := uploadSarif(t, tt, tt.repo, "1.0.0")
	config := tt.providerBlock() + fmt.Sprintf(`
data "codescanning_sarif_upload" "good" {
  repository = %[1]q
  sarif_id   = %[2]q
}
data "codescanning_sarif_upload" "bad" {
  repository = "service"
  sarif_id   = %[3]q
}
`, tt.repo, good, bad)
	goodAddress, badAddress := "data.codescanning_sarif_upload.good", "data.codescanning_sarif_upload.bad"
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(goodAddress, tfjsonpath.New("id"), knownvalue.StringExact(tt.repo+"/"+good)),
					statecheck.ExpectKnownValue(goodAddress, tfjsonpath.New("processing_status"), knownvalue.StringExact("pending")),
					statecheck.ExpectKnownValue(goodAddress, tfjsonpath.New("analyses_url"), knownvalue.Null()),
					statecheck.ExpectKnownValue(goodAddress, tfjsonpath.New("errors"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue(badAddress, tfjsonpath.New("processing_status"), knownvalue.StringExact("pending")),
				},
			},
			{
				PreConfig: func() {
					emu.Advance(processing)
					for _, id := range []string{good, bad} {
						if status, ok := emu.SarifUpload(testOwner, "service", id); !ok || status.ProcessingStatus == "pending" {
							t.Fatalf("upload %s is %+v after its processing time", id, status)
						}
					}
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(goodAddress, tfjsonpath.New("processing_status"), knownvalue.StringExact("complete")),
					statecheck.ExpectKnownValue(goodAddress, tfjsonpath.New("analyses_url"), knownvalue.StringRegexp(regexpMust(`/repos/octo-org/service/code-scanning/analyses\?sarif_id=`+good+`$`))),
					statecheck.ExpectKnownValue(goodAddress, tfjsonpath.New("errors"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue(badAddress, tfjsonpath.New("processing_status"), knownvalue.StringExact("failed")),
					statecheck.ExpectKnownValue(badAddress, tfjsonpath.New("analyses_url"), knownvalue.Null()),
					statecheck.ExpectKnownValue(badAddress, tfjsonpath.New("errors"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringRegexp(regexpMust(`version "1\.0\.0" is not supported`)),
					})),
				},
			},
			{
				// The analyses an upload made are found by its id.
				Config: tt.providerBlock() + fmt.Sprintf(`
data "codescanning_analyses" "of_upload" {
  repository = %q
  sarif_id   = %q
}
`, tt.repo, good),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.codescanning_analyses.of_upload", tfjsonpath.New("analyses"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"sarif_id":      knownvalue.StringExact(good),
							"results_count": knownvalue.Int64Exact(1),
							"tool":          knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("ExtScan")}),
						}),
					})),
				},
			},
			{
				Config: tt.providerBlock() + `
data "codescanning_sarif_upload" "missing" {
  repository = "service"
  sarif_id   = "6c81cd8e-b078-4ac3-a3be-000000000000"
}
`,
				ExpectError: diagnosticPattern("Cannot read SARIF upload 6c81cd8e-b078-4ac3-a3be-000000000000 of octo-org/service", "GitHub has no SARIF upload 6c81cd8e-b078-4ac3-a3be-000000000000 in octo-org/service."),
			},
		},
	})
}
