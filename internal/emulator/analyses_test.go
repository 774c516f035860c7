package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

const analysesPath = "repos/octo-org/app/code-scanning/analyses"

// addAnalysisFixture gives octo-org/app the alert fixture and five analyses:
//
//	id  ref      tool     category          created
//	1   main     CodeQL   /language:go      +1d
//	2   main     CodeQL   /language:go      +2d   (latest of its set)
//	3   main     Semgrep  /language:go      +3d
//	4   pull 7   CodeQL   /language:go      +4d
//	5   main     CodeQL   /language:python  +5d   sarif_id "upload-5"
func addAnalysisFixture(t *testing.T, e *Emulator) {
	t.Helper()
	addAlertFixture(t, e)
	day := func(n int) time.Time { return fixtureStart.Add(time.Duration(n) * 24 * time.Hour) }
	for _, a := range []Analysis{
		{CreatedAt: day(1)},
		{CreatedAt: day(2)},
		{Tool: semgrepTool, CreatedAt: day(3)},
		{Ref: "refs/pull/7/merge", CreatedAt: day(4)},
		{Category: "/language:python", CreatedAt: day(5), SarifID: "upload-5"},
	} {
		e.AddAnalysis("octo-org", "app", a)
	}
}

func idsOf(items []map[string]any) []int64 {
	out := make([]int64, len(items))
	for i, item := range items {
		n, _ := item["id"].(float64)
		out[i] = int64(n)
	}
	return out
}

func TestAddAnalysisFillsInAndCounts(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"), scanned("other"))
	addAnalysisFixture(t, a.emu)
	if id := a.emu.AddAnalysis("octo-org", "other", Analysis{}); id != 6 {
		t.Errorf("an analysis of another repository got id %d, want 6: ids are unique across the emulator", id)
	}
	if id := a.emu.AddAnalysis("octo-org", "nope", Analysis{}); id != 0 {
		t.Errorf("AddAnalysis for an unknown repository = %d", id)
	}
	got := a.do("GET", analysesPath+"/2", "").object(t)
	// CodeQL's go results on main: alerts 1, 4 (open) and 2 (fixed, so not a result); 3 is Semgrep.
	want := map[string]any{
		"ref": defaultBranchRef, "analysis_key": "dynamic/github-code-scanning/codeql:analyze",
		"environment": "{}", "category": "/language:go", "error": "", "warning": "",
		"created_at": fixtureStart.Add(48 * time.Hour).Format(time.RFC3339), "results_count": float64(2),
		"rules_count": float64(2), "id": float64(2), "url": a.base + analysesPath + "/2", "deletable": true,
		"tool": map[string]any{"name": "CodeQL", "version": "2.20.1", "guid": codeQLGUID},
	}
	for k, v := range want {
		if !reflect.DeepEqual(got[k], v) {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if sha, _ := got["commit_sha"].(string); len(sha) != 40 {
		t.Errorf("commit_sha = %v", got["commit_sha"])
	}
	if id, _ := got["sarif_id"].(string); len(id) != 36 {
		t.Errorf("sarif_id = %v, want a UUID", got["sarif_id"])
	}
}

func TestListAnalysesFilters(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	addAnalysisFixture(t, a.emu)
	tests := []struct {
		query string
		want  []int64
	}{
		{"", []int64{5, 4, 3, 2, 1}},
		{"?direction=asc&sort=created", []int64{1, 2, 3, 4, 5}},
		{"?tool_name=CodeQL", []int64{5, 4, 2, 1}},
		{"?tool_name=Semgrep+OSS", []int64{3}},
		{"?tool_guid=" + codeQLGUID, []int64{5, 4, 2, 1}},
		{"?ref=main", []int64{5, 3, 2, 1}},
		{"?ref=refs/pull/7/merge", []int64{4}},
		{"?pr=7", []int64{4}},
		{"?sarif_id=upload-5", []int64{5}},
		{"?sarif_id=nothing", []int64{}},
		{"?per_page=2&page=3", []int64{1}},
	}
	for _, tt := range tests {
		_, items := a.listAlerts(analysesPath + tt.query)
		if got := idsOf(items); !slices.Equal(got, tt.want) {
			t.Errorf("%q: ids %v, want %v", tt.query, got, tt.want)
		}
	}

	// Only the latest analysis of each set (ref, tool, category) is deletable.
	_, items := a.listAlerts(analysesPath)
	for _, item := range items {
		wantDeletable := item["id"] != float64(1)
		if item["deletable"] != wantDeletable {
			t.Errorf("analysis %v: deletable %v, want %v", item["id"], item["deletable"], wantDeletable)
		}
	}

	resp, _ := a.listAlerts(analysesPath + "?per_page=2")
	if rels, urls := parseLinks(t, resp.header.Get("Link")); !slices.Equal(rels, []string{"next", "last"}) ||
		!strings.Contains(urls["last"], "page=3") {
		t.Errorf("Link %q", resp.header.Get("Link"))
	}

	for _, query := range []string{"?tool_name=CodeQL&tool_guid=x", "?sort=updated", "?direction=up", "?pr=x",
		"?ref=main&pr=7", "?per_page=0"} {
		if got := a.do("GET", analysesPath+query, ""); got.status != http.StatusUnprocessableEntity {
			t.Errorf("%q: status %d, want 422", query, got.status)
		}
	}
}

func TestAnalysisRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		repo        Repository
		path        string
		fixture     bool
		wantStatus  int
		wantMessage string
	}{
		{"list, never analysed", scanned("app"), analysesPath, false, http.StatusNotFound, msgNoAnalysisFound},
		{"list, Advanced Security off", Repository{Owner: "octo-org", Name: "app"}, analysesPath, true,
			http.StatusForbidden, msgAdvancedSecurityDisabled},
		{"unknown analysis", scanned("app"), analysesPath + "/99", true, http.StatusNotFound, msgNotFound},
		{"analysis id not a number", scanned("app"), analysesPath + "/x", true, http.StatusNotFound, msgNotFound},
		{"unknown repository", scanned("app"), "repos/octo-org/nope/code-scanning/analyses/1", true,
			http.StatusNotFound, msgNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newTestAPI(t, Config{}, tt.repo)
			if tt.fixture {
				addAnalysisFixture(t, a.emu)
			}
			a.do("GET", tt.path, "").expectError(t, tt.wantStatus, tt.wantMessage)
		})
	}
}

// getSARIF asks for an analysis as SARIF and decodes the log.
func (a *testAPI) getSARIF(id int64) (response, sarifLog) {
	a.t.Helper()
	got := a.doWith("GET", a.base+analysesPath+"/"+strconv.FormatInt(id, 10), "", map[string]string{
		"Authorization": "Bearer " + a.token, "Accept": "application/sarif+json",
	})
	if got.status != http.StatusOK {
		a.t.Fatalf("GET analysis %d as SARIF: status %d, body %s", id, got.status, got.body)
	}
	var log sarifLog
	if err := json.Unmarshal(got.body, &log); err != nil {
		a.t.Fatalf("SARIF body: %v", err)
	}
	return got, log
}

func TestAnalysisAsSARIF(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	addAnalysisFixture(t, a.emu)
	got, log := a.getSARIF(2)
	if ct := got.header.Get("Content-Type"); ct != "application/sarif+json" {
		t.Errorf("Content-Type = %q", ct)
	}
	if log.Version != "2.1.0" || !strings.Contains(log.Schema, "sarif-schema-2.1.0") || log.Runs == nil || len(*log.Runs) != 1 {
		t.Fatalf("log: version %q, $schema %q, runs %v", log.Version, log.Schema, log.Runs)
	}
	run := (*log.Runs)[0]
	if d := run.Tool.Driver; d == nil || d.Name != "CodeQL" || d.SemanticVersion != "2.20.1" || d.GUID != codeQLGUID {
		t.Fatalf("driver %+v", run.Tool.Driver)
	}
	// The results are the alerts analysis 2 reports (CodeQL, go, main, not fixed): 1 and 4.
	var numbers []int
	for _, res := range run.Results {
		n, _ := res.Properties["github/alertNumber"].(float64)
		numbers = append(numbers, int(n))
		rule := run.Tool.Driver.Rules[*res.RuleIndex]
		if rule.ID != res.RuleID || res.Message == nil || res.Message.Text == "" || len(res.Locations) != 1 ||
			res.Locations[0].PhysicalLocation.Region.StartLine == 0 {
			t.Errorf("result %+v (rule %+v)", res, rule)
		}
		if url, _ := res.Properties["github/alertUrl"].(string); url != a.base+alertPath(int(n)) {
			t.Errorf("github/alertUrl = %s", url)
		}
	}
	if !slices.Equal(numbers, []int{1, 4}) {
		t.Errorf("results are alerts %v, want [1 4]", numbers)
	}
	for _, rule := range run.Tool.Driver.Rules {
		if rule.ID == "go/hardcoded-credentials" && rule.Properties.SecuritySeverity != "9.5" {
			t.Errorf("security-severity of a critical rule = %q", rule.Properties.SecuritySeverity)
		}
	}
	if run.AutomationDetails == nil || run.AutomationDetails.ID != "/language:go/" {
		t.Errorf("automationDetails %+v", run.AutomationDetails)
	}

	// The pull request's analysis reports what was found there: alerts 4 and 5.
	_, log = a.getSARIF(4)
	numbers = nil
	for _, res := range (*log.Runs)[0].Results {
		n, _ := res.Properties["github/alertNumber"].(float64)
		numbers = append(numbers, int(n))
	}
	if !slices.Equal(numbers, []int{4, 5}) {
		t.Errorf("pull request results are alerts %v, want [4 5]", numbers)
	}
}

func TestSeedAnalysesFollowsTheAlerts(t *testing.T) {
	t.Parallel()
	seed := func() *testAPI {
		a := newTestAPI(t, Config{}, scanned("app"))
		a.emu.SeedAlerts("octo-org", "app", 120, 3)
		a.emu.SeedAnalyses("octo-org", "app", 3)
		return a
	}
	a, b := seed(), seed()
	_, items := a.listAlerts(analysesPath + "?per_page=100")
	_, again := b.listAlerts(analysesPath + "?per_page=100")
	for _, list := range [][]map[string]any{items, again} {
		for _, item := range list {
			delete(item, "url") // the servers' ports differ
		}
	}
	if !reflect.DeepEqual(items, again) {
		t.Error("two emulators seeded alike have different analyses")
	}

	// One set per ref, tool and category the alerts were found in, each with one latest analysis.
	sets := map[string]int{}
	for _, item := range items {
		tool, _ := item["tool"].(map[string]any)
		key := fmt.Sprint(item["ref"], " ", tool["name"], " ", item["category"])
		if item["deletable"] == true {
			sets[key]++
		} else if _, ok := sets[key]; !ok {
			sets[key] = 0
		}
	}
	for key, latest := range sets {
		if latest != 1 {
			t.Errorf("set %s has %d deletable analyses, want 1", key, latest)
		}
	}
	for _, want := range []string{defaultBranchRef + " CodeQL /language:go", defaultBranchRef + " Trivy " +
		".github/workflows/trivy.yml:scan"} {
		if _, ok := sets[want]; !ok {
			t.Errorf("no analyses for %s among %v", want, sets)
		}
	}
	if !slices.ContainsFunc(items, func(item map[string]any) bool {
		return strings.HasPrefix(fmt.Sprint(item["ref"]), "refs/pull/")
	}) {
		t.Error("no analyses of pull requests")
	}
}

func TestCodeQLDatabases(t *testing.T) {
	t.Parallel()
	const databasesPath = "repos/octo-org/app/code-scanning/codeql/databases"
	a := newTestAPI(t, Config{}, scanned("app"))
	a.useFakeClock()
	a.emu.AddCodeQLDatabase("octo-org", "app", CodeQLDatabase{Language: "python", Uploader: "hubot", Size: 1024})
	a.emu.AddCodeQLDatabase("octo-org", "app", CodeQLDatabase{Language: "go", CommitOID: ptr(strings.Repeat("a", 40))})
	a.emu.AddCodeQLDatabase("octo-org", "app", CodeQLDatabase{Language: "go"}) // replaces the first go database

	_, items := a.listAlerts(databasesPath)
	if len(items) != 2 || items[0]["language"] != "go" || items[1]["language"] != "python" {
		t.Fatalf("databases %v", items)
	}
	if items[0]["id"] != float64(3) || items[0]["url"] != a.base+databasesPath+"/go" ||
		items[0]["content_type"] != "application/zip" || items[0]["name"] != "database.zip" {
		t.Errorf("go database %v", items[0])
	}
	py := a.do("GET", databasesPath+"/Python", "").object(t)
	uploader, _ := py["uploader"].(map[string]any)
	if uploader["login"] != "hubot" || py["size"] != float64(1024) || py["created_at"] != "2025-03-01T12:00:00Z" {
		t.Errorf("python database %v", py)
	}
	a.do("GET", databasesPath+"/ruby", "").expectError(t, http.StatusNotFound, msgNotFound)

	b := newTestAPI(t, Config{}, Repository{Owner: "octo-org", Name: "app"})
	b.do("GET", databasesPath, "").expectError(t, http.StatusForbidden, msgAdvancedSecurityDisabled)
	b.do("GET", databasesPath+"/go", "").expectError(t, http.StatusForbidden, msgAdvancedSecurityDisabled)
	if _, items := newTestAPI(t, Config{}, scanned("app")).listAlerts(databasesPath); len(items) != 0 {
		t.Errorf("a repository without databases lists %v", items)
	}
}
