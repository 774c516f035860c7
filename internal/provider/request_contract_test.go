package provider

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// requestContractBase stands for the emulator's base URL when requests are routed.
const requestContractBase = "http://127.0.0.1/api-v3"

// checkRequestsAgainstContract validates every request the provider sent (method, path, query,
// body) against the operation GitHub's OpenAPI description gives for it: the emulator's own
// tests check its answers, this checks what the provider asks.
func checkRequestsAgainstContract(requests []emulator.RecordedRequest) error {
	doc, err := openapi3.NewLoader().LoadFromFile("../emulator/testdata/api.github.com.json")
	if err != nil {
		return err
	}
	doc.Servers = openapi3.Servers{{URL: requestContractBase}}
	router, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation())
	if err != nil {
		return err
	}
	var problems []string
	operations := map[string]bool{}
	for _, r := range requests {
		target := requestContractBase + strings.TrimPrefix(r.Path, "/api-v3")
		if r.RawQuery != "" {
			target += "?" + r.RawQuery
		}
		req, err := http.NewRequest(r.Method, target, bytes.NewReader(r.Body))
		if err != nil {
			return err
		}
		if len(r.Body) > 0 {
			req.Header.Set("Content-Type", "application/json")
		}
		route, params, err := router.FindRoute(req)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s %s names no operation: %v", r.Method, target, err))
			continue
		}
		operations[route.Method+" "+route.Path] = true
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			problems = append(problems, fmt.Sprintf("%s %s: %v", r.Method, target, err))
		}
	}
	if len(operations) < 10 {
		problems = append(problems, fmt.Sprintf("only %d operations were exercised: %v", len(operations), operations))
	}
	if len(problems) > 0 {
		return fmt.Errorf("requests outside GitHub's contract:\n%s", strings.Join(problems, "\n"))
	}
	return nil
}

func TestEveryRequestTheProviderSendsKeepsGitHubsContract(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	emu := tt.needsEmulator(t)
	emu.SeedAlerts(testOwner, "service", 150, 5)
	emu.SeedAnalyses(testOwner, "service", 5)
	emu.AddCodeQLDatabase(testOwner, "service", emulator.CodeQLDatabase{Language: "go"})
	number := openAlert(emu, "go/sql-injection", "internal/db/query.go")
	sarifID := uploadSarif(t, tt, tt.repo, "2.1.0")
	config := func(body string) string {
		return tt.providerBlock() + fmt.Sprintf(`
resource "codescanning_default_setup" "test" {
  repository = %[1]q
%[2]s
}

resource "codescanning_alert_dismissal" "test" {
  repository   = %[1]q
  alert_number = %[3]d
  reason       = "won't fix"
  comment      = "Accepted risk."
  assignees    = ["octocat"]
}

data "codescanning_alerts" "filtered" {
  repository = %[1]q
  state      = "open"
  severity   = "high"
  tool_name  = "CodeQL"
  sort       = "updated"
  direction  = "asc"
  assignees  = ["octocat", "hubot"]
}

data "codescanning_alerts" "pr" {
  repository = %[1]q
  pr         = 2
}

data "codescanning_alerts" "org" {
  organization = %[4]q
  state        = "closed"
}

data "codescanning_alert_instances" "test" {
  repository   = %[1]q
  alert_number = %[3]d
  ref          = "refs/heads/main"
}

data "codescanning_analyses" "test" {
  repository = %[1]q
  tool_name  = "CodeQL"
  direction  = "asc"
}

data "codescanning_analysis" "test" {
  repository  = %[1]q
  analysis_id = data.codescanning_analyses.test.analyses[0].id
  sarif       = true
}

data "codescanning_codeql_database" "test" {
  repository = %[1]q
  language   = "go"
}

data "codescanning_default_setup" "test" {
  repository = %[1]q
  depends_on = [codescanning_default_setup.test]
}

data "codescanning_sarif_upload" "test" {
  repository = %[1]q
  sarif_id   = %[5]q
}
`, tt.repo, body, number, testOwner, sarifID)
	}
	tt.run(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: config("  languages    = [\"go\"]\n  query_suite  = \"extended\"\n  threat_model = \"remote_and_local\"")},
			{Config: config("  languages    = [\"go\", \"python\"]\n  runner_type  = \"labeled\"\n  runner_label = \"code-scanning\"")},
			{
				Config:            config("  state = \"not-configured\""),
				ConfigStateChecks: []statecheck.StateCheck{checkEmulator(func() error { return checkRequestsAgainstContract(emu.Requests()) })},
			},
		},
	})
}

func TestRequestContractCheckCatchesRequestsOutsideTheContract(t *testing.T) {
	t.Parallel()
	err := checkRequestsAgainstContract([]emulator.RecordedRequest{
		{Method: http.MethodPatch, Path: "/api-v3/repos/o/r/code-scanning/default-setup", Body: []byte(`{"query_suite":"security-extended"}`)},
		{Method: http.MethodGet, Path: "/api-v3/repos/o/r/code-scanning/alerts", RawQuery: "state=reopened"},
	})
	if err == nil || !strings.Contains(err.Error(), "security-extended") || !strings.Contains(err.Error(), "reopened") {
		t.Fatalf("error = %v; want both requests reported", err)
	}
}
