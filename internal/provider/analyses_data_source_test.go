package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// extScanGUID is the GUID of ExtScan, the second tool of seededAnalyses.
const extScanGUID = "3b6e1c27-ext-scan"

// seededAnalyses adds n analyses to a repository, a minute apart (the last the newest), across
// three refs, two tools and uploads of ten analyses each, and returns them with their ids: the
// oracle the data source is checked against.
func seededAnalyses(t *testing.T, emu *emulator.Emulator, repo string, n int) []emulator.Analysis {
	t.Helper()
	start := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	guid := extScanGUID
	out := make([]emulator.Analysis, 0, n)
	for i := range n {
		a := emulator.Analysis{
			Ref:       []string{"refs/heads/main", "refs/heads/main", "refs/heads/dev", "refs/pull/3/merge"}[i%4],
			Category:  "/language:go",
			CreatedAt: start.Add(time.Duration(i) * time.Minute),
			SarifID:   fmt.Sprintf("6c81cd8e-b078-4ac3-a3be-%012d", i/10),
		}
		if i%3 == 0 {
			a.Tool = emulator.AlertTool{Name: "ExtScan", Version: "1.2.3", GUID: &guid}
		}
		if a.ID = emu.AddAnalysis(testOwner, repo, a); a.ID == 0 {
			t.Fatalf("AddAnalysis found no %s/%s", testOwner, repo)
		}
		out = append(out, a)
	}
	return out
}

// diagnosticPattern matches a diagnostic by its summary and the start of its detail, which
// Terraform prints apart, with the configuration's location between them.
func diagnosticPattern(summary, detail string) *regexp.Regexp {
	return regexp.MustCompile(errorPattern(summary).String() + `(?s:.*)` + errorPattern(detail).String())
}

func analysisCount(address string, n int) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(address, tfjsonpath.New("analyses"), knownvalue.ListSizeExact(n))
}

func TestAnalysesDataSourceReadsEveryPageAndEachFilter(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	seeded := seededAnalyses(t, emu, "service", 260)
	count := func(keep func(emulator.Analysis) bool) int {
		n := 0
		for _, a := range seeded {
			if keep(a) {
				n++
			}
		}
		return n
	}
	upload := seeded[42].SarifID
	want := map[string]int{
		"all":       len(seeded),
		"capped":    150,
		"tool_name": count(func(a emulator.Analysis) bool { return a.Tool.Name == "ExtScan" }),
		"tool_guid": count(func(a emulator.Analysis) bool { return a.Tool.Name == "ExtScan" }),
		"ref":       count(func(a emulator.Analysis) bool { return a.Ref == "refs/heads/dev" }),
		"branch":    count(func(a emulator.Analysis) bool { return a.Ref == "refs/heads/main" }),
		"pr":        count(func(a emulator.Analysis) bool { return a.Ref == "refs/pull/3/merge" }),
		"sarif_id":  count(func(a emulator.Analysis) bool { return a.SarifID == upload }),
		"never":     0,
	}
	for name, n := range want {
		if n == 0 && name != "never" || n == len(seeded) && name != "all" {
			t.Fatalf("the seed gives %d analyses for filter %q; the test would prove nothing", n, name)
		}
	}
	config := tt.providerBlock() + fmt.Sprintf(`
data "codescanning_analyses" "all" {
  repository = %[1]q
}
data "codescanning_analyses" "capped" {
  repository  = %[1]q
  max_results = 150
}
data "codescanning_analyses" "tool_name" {
  repository = %[1]q
  tool_name  = "ExtScan"
}
data "codescanning_analyses" "tool_guid" {
  repository = %[1]q
  tool_guid  = %[2]q
}
data "codescanning_analyses" "ref" {
  repository = %[1]q
  ref        = "refs/heads/dev"
}
data "codescanning_analyses" "branch" {
  repository = "service"
  ref        = "main"
}
data "codescanning_analyses" "pr" {
  repository = %[1]q
  pr         = 3
}
data "codescanning_analyses" "sarif_id" {
  repository = %[1]q
  sarif_id   = %[3]q
}
data "codescanning_analyses" "oldest_first" {
  repository  = %[1]q
  sort        = "created"
  direction   = "asc"
  max_results = 1
}
data "codescanning_analyses" "never" {
  repository = "flaky-python"
}
`, tt.repo, extScanGUID, upload)
	var checks []statecheck.StateCheck
	for name, n := range want {
		checks = append(checks, analysisCount("data.codescanning_analyses."+name, n))
	}
	newest, oldest := seeded[len(seeded)-1], seeded[0]
	first := tfjsonpath.New("analyses").AtSliceIndex(0)
	checks = append(checks,
		statecheck.ExpectKnownValue("data.codescanning_analyses.all", tfjsonpath.New("id"), knownvalue.StringExact(tt.repo)),
		statecheck.ExpectKnownValue("data.codescanning_analyses.all", first.AtMapKey("id"), knownvalue.Int64Exact(newest.ID)),
		statecheck.ExpectKnownValue("data.codescanning_analyses.all", first.AtMapKey("deletable"), knownvalue.Bool(true)),
		statecheck.ExpectKnownValue("data.codescanning_analyses.all", first.AtMapKey("created_at"), knownvalue.StringExact(newest.CreatedAt.Format(time.RFC3339))),
		statecheck.ExpectKnownValue("data.codescanning_analyses.all", first.AtMapKey("tool").AtMapKey("name"), knownvalue.StringExact("CodeQL")),
		statecheck.ExpectKnownValue("data.codescanning_analyses.all", first.AtMapKey("sarif_id"), knownvalue.StringExact(newest.SarifID)),
		statecheck.ExpectKnownValue("data.codescanning_analyses.all", first.AtMapKey("url"), knownvalue.StringRegexp(regexpMust(fmt.Sprintf(`/repos/%s/code-scanning/analyses/%d$`, tt.repo, newest.ID)))),
		statecheck.ExpectKnownValue("data.codescanning_analyses.oldest_first", first.AtMapKey("id"), knownvalue.Int64Exact(oldest.ID)),
		statecheck.ExpectKnownValue("data.codescanning_analyses.oldest_first", first.AtMapKey("deletable"), knownvalue.Bool(false)),
		statecheck.ExpectKnownValue("data.codescanning_analyses.tool_guid", first.AtMapKey("tool").AtMapKey("guid"), knownvalue.StringExact(extScanGUID)),
		statecheck.ExpectKnownValue("data.codescanning_analyses.pr", first.AtMapKey("ref"), knownvalue.StringExact("refs/pull/3/merge")),
	)
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{{
			PreConfig:         emu.ResetRequests,
			Config:            config,
			ConfigStateChecks: checks,
			Check: func(*terraform.State) error {
				// 100 analyses a request: each read of the whole list takes three requests, and
				// max_results = 150 stops after two.
				unfiltered := 0
				for _, r := range emu.Requests() {
					if r.Method != http.MethodGet || !strings.HasSuffix(r.Path, "/repos/"+tt.repo+"/code-scanning/analyses") {
						continue
					}
					if !strings.Contains(r.RawQuery, "per_page=100") {
						return fmt.Errorf("request %s?%s does not ask for 100 a page", r.Path, r.RawQuery)
					}
					q, err := url.ParseQuery(r.RawQuery)
					if err != nil {
						return err
					}
					q.Del("per_page")
					q.Del("page")
					if len(q) == 0 {
						unfiltered++
					}
				}
				const perRead = 3 + 2
				if unfiltered == 0 || unfiltered%perRead != 0 {
					return fmt.Errorf("%d unfiltered list requests; want a multiple of %d (three pages, and two for max_results = 150, per read)", unfiltered, perRead)
				}
				return nil
			},
		}},
	})
}

func TestAnalysisCodeQLAndSarifDataSourcesRejectInvalidConfiguration(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	cases := []struct{ kind, body, want string }{
		{"analyses", `tool_name = "CodeQL"
  tool_guid = "x"`, `These attributes cannot be configured together: [tool_name,tool_guid]`},
		{"analyses", `ref = "refs/heads/main"
  pr = 3`, `These attributes cannot be configured together: [ref,pr]`},
		{"analyses", `direction = "newest"`, `value must be one of: ["asc" "desc"]`},
		{"analyses", `sort = "updated"`, `value must be one of: ["created"]`},
		{"analyses", `pr = 0`, `pr value must be at least 1`},
		{"analyses", `max_results = 0`, `max_results value must be at least 1`},
		{"analyses", `tool_name = ""`, `string length must be at least 1`},
		{"analysis", `analysis_id = 0`, `analysis_id value must be at least 1`},
		{"codeql_database", `language = ""`, `string length must be at least 1`},
		{"sarif_upload", `sarif_id = ""`, `string length must be at least 1`},
		{"default_setup", `repository = "octo-org/"`, `must be "owner/name", or "name" when the provider's owner is set`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		body := c.body
		if !strings.HasPrefix(body, "repository") {
			body = "repository = \"octo-org/service\"\n  " + body
		}
		steps = append(steps, resource.TestStep{
			Config:      tt.providerBlock() + "data \"codescanning_" + c.kind + "\" \"x\" {\n  " + body + "\n}\n",
			PlanOnly:    true,
			ExpectError: errorPattern(c.want),
		})
	}
	tt.run(t, resource.TestCase{Steps: steps})
}

func TestAnalysesDataSourceMapsGitHubRefusals(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:      tt.providerBlock() + `data "codescanning_analyses" "x" { repository = "no-advanced-security" }`,
				ExpectError: diagnosticPattern("Cannot list code scanning analyses of octo-org/no-advanced-security", "Enable GitHub Advanced Security"),
			},
			{
				Config:      tt.providerBlock() + `data "codescanning_analyses" "x" { repository = "missing" }`,
				ExpectError: diagnosticPattern("Cannot list code scanning analyses of octo-org/missing", "Check that the repository exists"),
			},
		},
	})
}

// sarifLog reads a SARIF document's version and its runs' tools.
func sarifLog(s string) (version string, tools []string, err error) {
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name string `json:"name"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(s), &log); err != nil {
		return "", nil, err
	}
	for _, r := range log.Runs {
		tools = append(tools, r.Tool.Driver.Name)
	}
	return log.Version, tools, nil
}

func TestAnalysisDataSourceReadsOneAnalysisAndItsSARIF(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	seeded := seededAnalyses(t, emu, "service", 8)
	ext := seeded[3] // ExtScan on the pull request
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				PreConfig: emu.ResetRequests,
				Config: tt.providerBlock() + fmt.Sprintf(`
data "codescanning_analysis" "summary" {
  repository  = %[1]q
  analysis_id = %[2]d
}
data "codescanning_analysis" "sarif" {
  repository  = "service"
  analysis_id = %[2]d
  sarif       = true
}
output "sarif_version" {
  value = jsondecode(data.codescanning_analysis.sarif.sarif_json).version
}
`, tt.repo, ext.ID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.codescanning_analysis.summary", tfjsonpath.New("id"), knownvalue.StringExact(fmt.Sprintf("%s/%d", tt.repo, ext.ID))),
					statecheck.ExpectKnownValue("data.codescanning_analysis.summary", tfjsonpath.New("ref"), knownvalue.StringExact("refs/pull/3/merge")),
					statecheck.ExpectKnownValue("data.codescanning_analysis.summary", tfjsonpath.New("tool").AtMapKey("name"), knownvalue.StringExact("ExtScan")),
					statecheck.ExpectKnownValue("data.codescanning_analysis.summary", tfjsonpath.New("tool").AtMapKey("version"), knownvalue.StringExact("1.2.3")),
					statecheck.ExpectKnownValue("data.codescanning_analysis.summary", tfjsonpath.New("sarif_id"), knownvalue.StringExact(ext.SarifID)),
					statecheck.ExpectKnownValue("data.codescanning_analysis.summary", tfjsonpath.New("category"), knownvalue.StringExact("/language:go")),
					statecheck.ExpectKnownValue("data.codescanning_analysis.summary", tfjsonpath.New("deletable"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("data.codescanning_analysis.summary", tfjsonpath.New("sarif_json"), knownvalue.Null()),
					statecheck.ExpectKnownValue("data.codescanning_analysis.sarif", tfjsonpath.New("sarif_json"), knownvalue.StringFunc(func(s string) error {
						version, tools, err := sarifLog(s)
						if err != nil || version != "2.1.0" || len(tools) != 1 || tools[0] != "ExtScan" {
							return fmt.Errorf("sarif_json is %.200s (%v); want a SARIF 2.1.0 log of one ExtScan run", s, err)
						}
						return nil
					})),
					statecheck.ExpectKnownOutputValue("sarif_version", knownvalue.StringExact("2.1.0")),
				},
				Check: func(*terraform.State) error {
					for _, r := range emu.Requests() {
						if r.Header.Get("Accept") == "application/sarif+json" {
							return nil
						}
					}
					return fmt.Errorf("no request asked for application/sarif+json")
				},
			},
			{
				Config: tt.providerBlock() + fmt.Sprintf(`
data "codescanning_analysis" "missing" {
  repository  = %q
  analysis_id = 999999
}
`, tt.repo),
				ExpectError: diagnosticPattern("Cannot read code scanning analysis 999999 of octo-org/service", "GitHub has no analysis 999999 in octo-org/service. List the repository's analyses"),
			},
		},
	})
}
