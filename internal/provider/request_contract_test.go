package provider

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/apicontract"
)

// requestContract is one server's description of the operations the provider uses: github.com's,
// or a GitHub Enterprise Server release's (../emulator/testdata/README.md).
type requestContract struct {
	description string // file in ../emulator/testdata
	prefix      string // the emulator's path prefix, which the description's paths lack
}

// checkRequestsAgainstContract validates every request the provider sent (method, path, query,
// body) against the operation the server's OpenAPI description gives for it: the emulator's own
// tests check its answers, this checks what the provider asks. At least minOperations distinct
// operations must have been exercised, so a test that sent little cannot pass for one that
// covers the provider. A body field the operation does not describe fails too: a server may
// ignore it (GHES 3.17 would ignore create_request and dismiss an alert outright).
func checkRequestsAgainstContract(c requestContract, requests []emulator.RecordedRequest, minOperations int) error {
	contract, err := apicontract.Load("../emulator/testdata", c.description)
	if err != nil {
		return err
	}
	var problems []string
	operations := map[string]bool{}
	for _, r := range requests {
		rest := strings.TrimPrefix(r.Path, c.prefix)
		if r.RawQuery != "" {
			rest += "?" + r.RawQuery
		}
		req, err := http.NewRequest(r.Method, apicontract.Base+strings.TrimPrefix(rest, "/"), bytes.NewReader(r.Body))
		if err != nil {
			return err
		}
		if len(r.Body) > 0 {
			req.Header.Set("Content-Type", "application/json")
		}
		v := contract.CheckRequest(req, r.Body)
		if v.Operation == "" {
			problems = append(problems, fmt.Sprintf("%s %s names no operation of %s", r.Method, req.URL, c.description))
			continue
		}
		operations[v.Operation] = true
		if v.Request != nil {
			problems = append(problems, fmt.Sprintf("%s %s (%s): %v", r.Method, req.URL, c.description, v.Request))
		}
		for _, field := range v.Undescribed {
			problems = append(problems, fmt.Sprintf("%s %s sends %q, which %s does not describe", r.Method, req.URL, field, c.description))
		}
	}
	if len(operations) < minOperations {
		problems = append(problems, fmt.Sprintf("only %d operations were exercised: %v", len(operations), operations))
	}
	if len(problems) > 0 {
		return fmt.Errorf("requests outside GitHub's contract:\n%s", strings.Join(problems, "\n"))
	}
	return nil
}

// contractServer is a server the provider is tested against, with what its release has.
type contractServer struct {
	name              string
	enterpriseVersion string // "" for github.com
	contract          requestContract
	threatModels      bool // default setup's threat_model (GHES 3.18 on)
	codeQLDatabases   bool // the CodeQL database endpoints (github.com only)
	operations        int  // distinct operations the configuration exercises
}

var contractServers = []contractServer{
	{name: "github.com", contract: requestContract{"api.github.com.json", "/api-v3"}, threatModels: true, codeQLDatabases: true, operations: 25},
	{name: "GHES 3.17", enterpriseVersion: "3.17.2", contract: requestContract{"ghes-3.17.json", "/api/v3"}, operations: 23},
	{name: "GHES 3.19", enterpriseVersion: "3.19.1", contract: requestContract{"ghes-3.19.json", "/api/v3"}, threatModels: true, operations: 23},
}

// TestEveryRequestTheProviderSendsKeepsGitHubsContract applies a configuration using every
// resource and data source to github.com, GHES 3.17 and GHES 3.19, and checks each request
// against that server's description: a field or filter a release lacks fails there.
func TestEveryRequestTheProviderSendsKeepsGitHubsContract(t *testing.T) {
	t.Parallel()
	for _, server := range contractServers {
		t.Run(server.name, func(t *testing.T) {
			t.Parallel()
			cfg := defaultEmulatorConfig()
			cfg.EnterpriseVersion = server.enterpriseVersion
			cfg.PathPrefix = server.contract.prefix
			testRequestContract(t, server, emulatorTarget(t, cfg))
		})
	}
}

func testRequestContract(t *testing.T, server contractServer, tt testTarget) {
	emu := tt.needsEmulator(t)
	emu.SeedAlerts(testOwner, "service", 150, 5)
	emu.SeedAnalyses(testOwner, "service", 5)
	emu.AddCodeQLDatabase(testOwner, "service", emulator.CodeQLDatabase{Language: "go"})
	number := openAlert(emu, "go/sql-injection", "internal/db/query.go")
	sarifID := uploadSarif(t, tt, tt.repo, "2.1.0")
	threatModel, database := "", ""
	if server.threatModels {
		threatModel = "\n  threat_model = \"remote_and_local\""
	}
	if server.codeQLDatabases {
		database = fmt.Sprintf(`
data "codescanning_codeql_database" "test" {
  repository = %[1]q
  language   = "go"
}

data "codescanning_codeql_databases" "test" {
  repository = %[1]q
}
`, tt.repo)
	}
	// Code security configuration settings only github.com has (GHES: none; 3.19 adds
	// code_security and code_scanning_allow_advanced, sent here on github.com alone).
	newerSettings, reviewerMode := "", ""
	if server.enterpriseVersion == "" {
		newerSettings = "\n  code_security                   = \"disabled\"\n  code_scanning_allow_advanced    = true\n  secret_scanning_generic_secrets = \"enabled\""
		reviewerMode = `, mode = "EXEMPT"`
	}
	// The second step changes only the dismissal's assignees: an assignee-only PATCH, which GHES
	// requires to carry state. The configuration's description and repositories change in each
	// step: an update, an attach, then a detach.
	config := func(body, assignees string, step int) string {
		attached := [...]string{`["no-advanced-security"]`, `["no-advanced-security", "flaky-python"]`, `["flaky-python"]`}[step]
		return tt.providerBlock() + fmt.Sprintf(`
resource "codescanning_security_configuration" "test" {
  organization                             = %[1]q
  name                                     = "contract"
  description                              = "step %[2]d"
  dependabot_alerts                        = "enabled"
  secret_scanning                          = "enabled"
  secret_scanning_delegated_bypass         = "enabled"
  secret_scanning_delegated_bypass_reviewers = [{ reviewer_id = 1, reviewer_type = "TEAM"%[5]s }]
  code_scanning_default_setup_runner_type  = "labeled"
  code_scanning_default_setup_runner_label = "code-scanning"
  enforcement                              = "unenforced"
  default_for_new_repos                    = "public"%[4]s
}

resource "codescanning_security_configuration_attachment" "test" {
  organization     = %[1]q
  configuration_id = codescanning_security_configuration.test.configuration_id
  repositories     = %[3]s
}

data "codescanning_security_configurations" "test" {
  organization = %[1]q
  depends_on   = [codescanning_security_configuration.test]
}

data "codescanning_security_configuration" "test" {
  organization = %[1]q
  name         = codescanning_security_configuration.test.name
}

data "codescanning_repository_security_configuration" "test" {
  repository = "flaky-python"
  depends_on = [codescanning_security_configuration_attachment.test]
}
`, testOwner, step, attached, newerSettings, reviewerMode) + fmt.Sprintf(`
resource "codescanning_default_setup" "test" {
  repository = %[1]q
%[2]s
}

resource "codescanning_alert_dismissal" "test" {
  repository   = %[1]q
  alert_number = %[3]d
  reason       = "won't fix"
  comment      = "Accepted risk."
  assignees    = [%[7]s]
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
%[6]s
data "codescanning_default_setup" "test" {
  repository = %[1]q
  depends_on = [codescanning_default_setup.test]
}

data "codescanning_sarif_upload" "test" {
  repository = %[1]q
  sarif_id   = %[5]q
}
`, tt.repo, body, number, testOwner, sarifID, database, assignees)
	}
	tt.run(t, resource.TestCase{
		// Destroy's requests too: deleting the configuration (and making it the default for none
		// first) is one operation more.
		CheckDestroy: func(*terraform.State) error {
			return checkRequestsAgainstContract(server.contract, emu.Requests(), server.operations+1)
		},
		Steps: []resource.TestStep{
			{Config: config("  languages    = [\"go\"]\n  query_suite  = \"extended\""+threatModel, `"octocat"`, 0)},
			{Config: config("  languages    = [\"go\", \"python\"]\n  runner_type  = \"labeled\"\n  runner_label = \"code-scanning\"", `"octocat", "hubot"`, 1)},
			{
				Config: config("  state = \"not-configured\"", `"octocat", "hubot"`, 2),
				ConfigStateChecks: []statecheck.StateCheck{checkEmulator(func() error {
					return checkRequestsAgainstContract(server.contract, emu.Requests(), server.operations)
				})},
			},
		},
	})
}

func TestRequestContractCheckCatchesRequestsOutsideTheContract(t *testing.T) {
	t.Parallel()
	err := checkRequestsAgainstContract(contractServers[0].contract, []emulator.RecordedRequest{
		{Method: http.MethodPatch, Path: "/api-v3/repos/o/r/code-scanning/default-setup", Body: []byte(`{"query_suite":"security-extended"}`)},
		{Method: http.MethodGet, Path: "/api-v3/repos/o/r/code-scanning/alerts", RawQuery: "state=reopened"},
	}, 0)
	if err == nil || !strings.Contains(err.Error(), "security-extended") || !strings.Contains(err.Error(), "reopened") {
		t.Fatalf("error = %v; want both requests reported", err)
	}
}

// Each GHES description refuses what that release lacks, so the check above would catch the
// provider sending it there.
func TestRequestContractCheckKnowsEachReleasesDifferences(t *testing.T) {
	t.Parallel()
	threatModel := emulator.RecordedRequest{Method: http.MethodPatch, Path: "/api/v3/repos/o/r/code-scanning/default-setup",
		Body: []byte(`{"state":"configured","threat_model":"remote"}`)}
	createRequest := emulator.RecordedRequest{Method: http.MethodPatch, Path: "/api/v3/repos/o/r/code-scanning/alerts/1",
		Body: []byte(`{"state":"dismissed","dismissed_reason":"won't fix","create_request":true}`)}
	assigneesOnly := emulator.RecordedRequest{Method: http.MethodPatch, Path: "/api/v3/repos/o/r/code-scanning/alerts/1",
		Body: []byte(`{"assignees":["octocat"]}`)}
	database := emulator.RecordedRequest{Method: http.MethodGet, Path: "/api/v3/repos/o/r/code-scanning/codeql/databases/go"}
	for _, tt := range []struct {
		server  contractServer
		request emulator.RecordedRequest
		valid   bool
	}{
		{contractServers[1], threatModel, false},
		{contractServers[2], threatModel, true},
		{contractServers[1], createRequest, false},
		{contractServers[2], createRequest, true},
		{contractServers[1], assigneesOnly, false}, // GHES requires state
		{contractServers[2], assigneesOnly, false},
		{contractServers[1], database, false},
		{contractServers[2], database, false},
	} {
		err := checkRequestsAgainstContract(tt.server.contract, []emulator.RecordedRequest{tt.request}, 0)
		if (err == nil) != tt.valid {
			t.Errorf("%s %s %s: %v; want valid=%v", tt.server.name, tt.request.Method, tt.request.Body, err, tt.valid)
		}
	}
}
