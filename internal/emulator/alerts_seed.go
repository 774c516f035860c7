package emulator

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// seedEpoch is when seeded alerts start to be found. It is fixed, not the clock, so that a seed
// gives the same alerts on every run; alerts then follow each other every 37 minutes or so,
// which keeps 10,000 of them within 2024, before any fake clock a test starts.
var seedEpoch = time.Date(2024, 1, 2, 9, 0, 0, 0, time.UTC)

// seedRule is a rule SeedAlerts draws from, with where its tool runs and what files it reports.
type seedRule struct {
	tool        AlertTool
	rule        AlertRule
	analysisKey string
	category    string
	environment string
	message     string
	sources     []string // paths of ordinary source files the rule reports
	tests       []string // test files it reports, classified "test"
	generated   []string // generated files it reports, classified "generated"
}

var (
	semgrepTool = AlertTool{Name: "Semgrep OSS", Version: "1.96.0"}
	trivyTool   = AlertTool{Name: "Trivy", Version: "0.56.2"}

	goSources    = []string{"internal/server/handler.go", "internal/db/query.go", "cmd/app/main.go", "pkg/auth/token.go"}
	goTests      = []string{"internal/db/query_test.go", "test/fixtures/server.go", "pkg/auth/token_test.go"}
	goGenerated  = []string{"internal/gen/api.pb.go"}
	pySources    = []string{"app/views.py", "app/models.py", "scripts/migrate.py"}
	pyTests      = []string{"tests/test_views.py"}
	seedLogins   = []string{"octocat", "hubot", "monalisa"}
	seedComments = []string{"Input is validated by the router before it gets here.",
		"Accepted risk, tracked in SEC-142.", "Only reachable from the test harness."}
)

// seedRules is a realistic mix: CodeQL rules with and without a security severity, at every
// severity, and two third-party tools with no GUID.
func seedRules() []seedRule {
	codeQL := func(id, name, severity string, security *string, tags []string, language, message string) seedRule {
		r := seedRule{
			tool:        codeQLTool(),
			rule:        AlertRule{ID: id, Name: name, Severity: severity, Description: name, SecuritySeverityLevel: security, Tags: tags},
			analysisKey: "dynamic/github-code-scanning/codeql:analyze",
			category:    "/language:" + language,
			environment: fmt.Sprintf(`{"build-mode":"none","category":"/language:%s","language":"%s"}`, language, language),
			message:     message,
		}
		r.rule.Help = "# " + name + "\n\nSee the CodeQL query help for " + id + "."
		if language == "go" {
			r.sources, r.tests, r.generated = goSources, goTests, goGenerated
		} else {
			r.sources, r.tests = pySources, pyTests
		}
		return r
	}
	thirdParty := func(tool AlertTool, workflow, id, name, severity string, security *string, tags []string, message string) seedRule {
		key := ".github/workflows/" + workflow
		return seedRule{
			tool:        tool,
			rule:        AlertRule{ID: id, Name: name, Severity: severity, Description: name, SecuritySeverityLevel: security, Tags: tags},
			analysisKey: key, category: key, environment: "{}", message: message,
			sources: goSources, tests: goTests,
		}
	}
	return []seedRule{
		codeQL("go/sql-injection", "Database query built from user-controlled sources", "error", ptr("high"),
			[]string{"security", "external/cwe/cwe-089"}, "go", "This query depends on a user-provided value."),
		codeQL("go/path-injection", "Uncontrolled data used in path expression", "error", ptr("high"),
			[]string{"security", "external/cwe/cwe-022", "external/cwe/cwe-023"}, "go",
			"This path depends on a user-provided value."),
		codeQL("go/hardcoded-credentials", "Hard-coded credentials", "warning", ptr("critical"),
			[]string{"security", "external/cwe/cwe-259", "external/cwe/cwe-798"}, "go",
			"Hard-coded password used as a credential."),
		codeQL("go/incomplete-hostname-regexp", "Incomplete regular expression for hostnames", "warning", ptr("medium"),
			[]string{"correctness", "security", "external/cwe/cwe-020"}, "go",
			"This regular expression has an unescaped dot before a domain name."),
		codeQL("go/unhandled-writable-file-close", "Writable file handle closed without error handling", "warning", nil,
			[]string{"maintainability", "correctness"}, "go", "File handle may be writable as a result of data flow."),
		codeQL("go/redundant-recover", "Redundant call to recover", "note", nil,
			[]string{"maintainability", "correctness"}, "go", "This call to recover has no effect."),
		codeQL("py/weak-sensitive-data-hashing", "Use of a broken or weak cryptographic hashing algorithm on sensitive data",
			"warning", ptr("high"), []string{"security", "external/cwe/cwe-327"}, "python",
			"Sensitive data is used in a hashing algorithm (MD5) that is insecure."),
		codeQL("py/insecure-cookie", "Failure to use secure cookies", "warning", ptr("low"),
			[]string{"security", "external/cwe/cwe-614"}, "python", "Cookie is added without the Secure attribute."),
		codeQL("py/unused-import", "Unused import", "note", nil,
			[]string{"maintainability", "useless-code"}, "python", "Import of 'os' is not used."),
		thirdParty(semgrepTool, "semgrep.yml:semgrep", "go.lang.security.audit.dangerous-exec-command",
			"Detected non-static command inside exec.Command", "warning", ptr("high"),
			[]string{"security", "cwe-78"}, "Audit the use of a non-static command."),
		thirdParty(semgrepTool, "semgrep.yml:semgrep", "go.lang.correctness.useless-eqeq.eqeq-is-bad",
			"Useless comparison of a value with itself", "note", nil,
			[]string{"correctness"}, "This comparison of a value with itself is always true."),
		{
			tool: trivyTool,
			rule: AlertRule{ID: "CVE-2024-45337", Name: "golang.org/x/crypto: misuse of ServerConfig.PublicKeyCallback",
				Severity: "error", Description: "golang.org/x/crypto: misuse of ServerConfig.PublicKeyCallback",
				SecuritySeverityLevel: ptr("critical"), Tags: []string{"vulnerability", "security", "CRITICAL"}},
			analysisKey: ".github/workflows/trivy.yml:scan", category: ".github/workflows/trivy.yml:scan",
			environment: "{}", message: "Package: golang.org/x/crypto\nInstalled Version: v0.29.0",
			sources: []string{"go.mod"},
		},
	}
}

// SeedAlerts adds n alerts to a repository, numbered after any it has, drawn deterministically
// from seed: the same seed gives the same alerts. The mix is what a busy repository shows:
// CodeQL (with a GUID) and two third-party tools (without), rules with and without a security
// severity at every level, about 60% open, 25% fixed and 15% dismissed, a fifth also found in a
// pull request (refs/pull/1..12/merge) and a few found only there, some assigned, and some in
// test or generated files, classified so. Unknown repositories are ignored.
func (e *Emulator) SeedAlerts(owner, name string, n int, seed int64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := e.repos[repoKey(owner, name)]
	if st == nil {
		return
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
	rules := seedRules()
	for i := range n {
		created := seedEpoch.Add(time.Duration(i)*37*time.Minute + time.Duration(rng.IntN(1800))*time.Second)
		a := seedAlert(rng, rules, st.repo, created)
		st.alerts.put(a.normalize(st.repo, a.UpdatedAt))
	}
}

// seedAlert draws one alert found at created.
func seedAlert(rng *rand.Rand, rules []seedRule, repo Repository, created time.Time) Alert {
	var sr seedRule
	switch roll := rng.Float64(); {
	case roll < 0.7:
		sr = rules[rng.IntN(9)] // CodeQL
	case roll < 0.9:
		sr = rules[9+rng.IntN(2)] // Semgrep
	default:
		sr = rules[11] // Trivy
	}

	path, classifications := pick(rng, sr.sources), []string{}
	switch roll := rng.Float64(); {
	case roll < 0.15 && len(sr.tests) > 0:
		path, classifications = pick(rng, sr.tests), []string{"test"}
	case roll < 0.20 && len(sr.generated) > 0:
		path, classifications = pick(rng, sr.generated), []string{"generated"}
	}
	line := 1 + rng.IntN(400)
	column := 1 + rng.IntN(40)
	instance := func(ref string, commit int) AlertInstance {
		return AlertInstance{
			Ref:         ref,
			CommitSHA:   fakeSHA(fmt.Sprintf("seed-commit:%s:%d", ref, commit), repo),
			AnalysisKey: sr.analysisKey, Environment: sr.environment, Category: sr.category,
			Message: sr.message, Path: path,
			StartLine: line, EndLine: line + rng.IntN(4),
			StartColumn: column, EndColumn: column + 5 + rng.IntN(50),
			Classifications: classifications,
		}
	}

	a := Alert{Rule: sr.rule, Tool: sr.tool, CreatedAt: created, UpdatedAt: created, State: alertOpen}
	a.Rule.Tags = append([]string(nil), sr.rule.Tags...)
	onMain := instance(defaultBranchRef, int(created.Unix()/86400))
	pr := pullRef(1 + rng.IntN(12))
	switch roll := rng.Float64(); {
	case roll < 0.05: // found only in a pull request, so still open
		a.Instances = []AlertInstance{instance(pr, rng.IntN(1000))}
		return a
	case roll < 0.25:
		a.Instances = []AlertInstance{instance(pr, rng.IntN(1000)), onMain}
	default:
		a.Instances = []AlertInstance{onMain}
	}

	changed := created.Add(time.Duration(1+rng.IntN(20*24)) * time.Hour)
	switch roll := rng.Float64(); {
	case roll < 0.60:
	case roll < 0.85:
		a.State, a.UpdatedAt = alertFixed, changed
	default:
		a.State, a.UpdatedAt = alertDismissed, changed
		a.DismissedBy = ptr(pick(rng, seedLogins))
		reason := pick(rng, dismissedReasons)
		if slices.Contains(classifications, "test") {
			reason = "used in tests"
		}
		a.DismissedReason = ptr(reason)
		if rng.IntN(2) == 0 {
			a.DismissedComment = ptr(pick(rng, seedComments))
		}
	}
	switch roll := rng.Float64(); {
	case roll < 0.05:
		a.Assignees = []string{seedLogins[0], seedLogins[1+rng.IntN(2)]}
	case roll < 0.25:
		a.Assignees = []string{pick(rng, seedLogins)}
	}
	return a
}

func pick[T any](rng *rand.Rand, from []T) T { return from[rng.IntN(len(from))] }
