package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

const alertsPath = "repos/octo-org/app/code-scanning/alerts"

// fixtureStart is when the first fixture alert was found.
var fixtureStart = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// addAlertFixture gives octo-org/app six alerts, chosen so every filter tells some apart:
//
//	#  tool     rule severity / security  state      refs           assignees        created updated
//	1  CodeQL   error / high              open       main           octocat          +1h     +1h
//	2  CodeQL   note                      fixed      main                            +2h     +10h
//	3  Semgrep  warning                   dismissed  main           hubot, monalisa  +3h     +5h
//	4  CodeQL   warning / critical        open       pull 7, main                    +4h     +20h
//	5  CodeQL   error / medium            open       pull 7 only                     +5h     +5h
//	6  Semgrep  error                     open       main (a test)                   +6h     +6h
func addAlertFixture(t *testing.T, e *Emulator) {
	t.Helper()
	at := func(h int) time.Time { return fixtureStart.Add(time.Duration(h) * time.Hour) }
	rule := func(id, severity string, security *string) AlertRule {
		return AlertRule{ID: id, Name: id, Severity: severity, Description: "Rule " + id,
			SecuritySeverityLevel: security, Tags: []string{"security"}}
	}
	main := AlertInstance{Ref: defaultBranchRef, Path: "internal/db/query.go", StartLine: 10}
	pull7 := AlertInstance{Ref: "refs/pull/7/merge", Path: "internal/db/query.go", StartLine: 12}
	for _, a := range []Alert{
		{Rule: rule("go/sql-injection", "error", ptr("high")), Tool: codeQLTool(), State: "open",
			Instances: []AlertInstance{main}, Assignees: []string{"octocat"}, CreatedAt: at(1), UpdatedAt: at(1)},
		{Rule: rule("go/redundant-recover", "note", nil), Tool: codeQLTool(), State: "fixed",
			Instances: []AlertInstance{main}, CreatedAt: at(2), UpdatedAt: at(10)},
		{Rule: rule("semgrep.rule", "warning", nil), Tool: semgrepTool, State: "dismissed",
			DismissedReason: ptr("won't fix"), Instances: []AlertInstance{main},
			Assignees: []string{"hubot", "monalisa"}, CreatedAt: at(3), UpdatedAt: at(5)},
		{Rule: rule("go/hardcoded-credentials", "warning", ptr("critical")), Tool: codeQLTool(), State: "open",
			Instances: []AlertInstance{pull7, main}, CreatedAt: at(4), UpdatedAt: at(20)},
		{Rule: rule("go/path-injection", "error", ptr("medium")), Tool: codeQLTool(), State: "open",
			Instances: []AlertInstance{pull7}, CreatedAt: at(5), UpdatedAt: at(5)},
		{Rule: rule("semgrep.other", "error", nil), Tool: semgrepTool, State: "open",
			Instances: []AlertInstance{{Ref: defaultBranchRef, Path: "internal/db/query_test.go",
				Classifications: []string{"test"}}}, CreatedAt: at(6), UpdatedAt: at(6)},
	} {
		e.AddAlert("octo-org", "app", a)
	}
}

// listAlerts GETs a list and returns the answer with its alerts decoded; it fails the test
// unless the status is 200.
func (a *testAPI) listAlerts(path string) (response, []map[string]any) {
	a.t.Helper()
	got := a.do("GET", path, "")
	if got.status != http.StatusOK {
		a.t.Fatalf("GET %s: status %d, body %s", path, got.status, got.body)
	}
	var items []map[string]any
	if err := json.Unmarshal(got.body, &items); err != nil {
		a.t.Fatalf("GET %s: body is not an array: %v", path, err)
	}
	return got, items
}

func numbersOf(items []map[string]any) []int {
	out := make([]int, len(items))
	for i, item := range items {
		n, _ := item["number"].(float64)
		out[i] = int(n)
	}
	return out
}

func TestListAlertsFilters(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	addAlertFixture(t, a.emu)
	tests := []struct {
		query string
		want  []int
	}{
		{"", []int{6, 4, 3, 2, 1}},
		{"direction=asc", []int{1, 2, 3, 4, 6}},
		{"direction=desc&sort=created", []int{6, 4, 3, 2, 1}},
		{"sort=updated", []int{4, 2, 6, 3, 1}},
		{"sort=updated&direction=asc", []int{1, 3, 6, 2, 4}},
		{"state=open", []int{6, 4, 1}},
		{"state=closed", []int{3, 2}},
		{"state=dismissed", []int{3}},
		{"state=fixed", []int{2}},
		{"tool_name=", []int{6, 4, 3, 2, 1}}, // empty is no filter
		{"tool_name=CodeQL", []int{4, 2, 1}},
		{"tool_name=Semgrep+OSS", []int{6, 3}},
		{"tool_name=codeql", []int{}},
		{"tool_guid=" + codeQLGUID, []int{4, 2, 1}},
		{"tool_guid=no-such-guid", []int{}},
		// severity is the one shown: the security severity where there is one.
		{"severity=critical", []int{4}},
		{"severity=high", []int{1}},
		{"severity=medium", []int{}},
		{"severity=error", []int{6}},
		{"severity=warning", []int{3}},
		{"severity=note", []int{2}},
		{"assignees=octocat", []int{1}},
		{"assignees=OctoCat", []int{1}},
		{"assignees=hubot,octocat", []int{3, 1}},
		{"assignees=*", []int{3, 1}},
		{"assignees=none", []int{6, 4, 2}},
		{"assignees=none,monalisa", []int{6, 4, 3, 2}},
		{"ref=main", []int{6, 4, 3, 2, 1}},
		{"ref=refs/heads/main", []int{6, 4, 3, 2, 1}},
		{"ref=refs/heads/feature", []int{}},
		{"ref=refs/pull/7/merge", []int{5, 4}},
		{"pr=7", []int{5, 4}},
		{"pr=8", []int{}},
		{"pr=7&severity=medium", []int{5}},
		{"state=open&tool_name=CodeQL&assignees=none&direction=asc", []int{4}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			_, items := a.listAlerts(alertsPath + "?" + tt.query)
			if got := numbersOf(items); !slices.Equal(got, tt.want) {
				t.Errorf("numbers = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestListAlertsShowsTheInstanceOnTheRefAskedFor(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	addAlertFixture(t, a.emu)
	for query, want := range map[string]string{"": defaultBranchRef, "?pr=7": "refs/pull/7/merge"} {
		_, items := a.listAlerts(alertsPath + query)
		for _, item := range items {
			if item["number"] != float64(4) {
				continue
			}
			mri, _ := item["most_recent_instance"].(map[string]any)
			if mri["ref"] != want {
				t.Errorf("%q: most_recent_instance.ref = %v, want %s", query, mri["ref"], want)
			}
		}
	}
}

func TestListAlertsRejectsBadParameters(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	addAlertFixture(t, a.emu)
	createdCursor := cursorFrom(t, a.do("GET", alertsPath+"?per_page=1&after=", "").header.Get("Link"), "next")
	if createdCursor == "" {
		t.Fatal("no cursor to misuse")
	}
	tests := []struct {
		query string
		param string // the parameter the message must name
	}{
		{"per_page=0", "per_page"},
		{"per_page=101", "per_page"},
		{"per_page=ten", "per_page"},
		{"page=0", "page"},
		{"page=two", "page"},
		{"state=closed,open", "state"},
		{"state=", "state"},
		{"pr=", "pr"},
		{"severity=none", "severity"},
		{"sort=number", "sort"},
		{"direction=up", "direction"},
		{"tool_name=CodeQL&tool_guid=" + codeQLGUID, "tool_guid"},
		{"ref=main&pr=7", "pr"},
		{"pr=seven", "pr"},
		{"after=not-a-cursor", "after"},
		{"before=bm90LWEtY3Vyc29y", "before"},
		{"after=&before=", "before"},
		{"page=2&after=", "page"},
		{"sort=updated&after=" + createdCursor, "after"}, // a cursor of another sort
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			got := a.do("GET", alertsPath+"?"+tt.query, "")
			if got.status != http.StatusUnprocessableEntity {
				t.Fatalf("status = %d, want 422; body %s", got.status, got.body)
			}
			msg, _ := got.object(t)["message"].(string)
			if !strings.HasPrefix(msg, "Invalid request.\n\n") || !strings.Contains(msg, "'"+tt.param+"'") {
				t.Errorf("message %q does not name '%s'", msg, tt.param)
			}
		})
	}
}

func TestListAlertsRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		repo        Repository
		path        string
		setup       func(e *Emulator)
		wantStatus  int
		wantMessage string
	}{
		{"Advanced Security off", Repository{Owner: "octo-org", Name: "app"}, alertsPath, nil,
			http.StatusForbidden, msgAdvancedSecurityDisabled},
		{"unknown repository", scanned("app"), "repos/octo-org/nope/code-scanning/alerts", nil,
			http.StatusNotFound, msgNotFound},
		{"never analysed", scanned("app"), alertsPath, nil, http.StatusNotFound, msgNoAnalysisFound},
		{"unknown organization", scanned("app"), "orgs/nobody/code-scanning/alerts", nil,
			http.StatusNotFound, msgNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newTestAPI(t, Config{}, tt.repo)
			a.do("GET", tt.path, "").expectError(t, tt.wantStatus, tt.wantMessage)
		})
	}
	t.Run("analysed by default setup, no alerts", func(t *testing.T) {
		t.Parallel()
		a := newTestAPI(t, Config{}, scanned("app"))
		a.emu.SetDefaultSetup("octo-org", "app", DefaultSetup{Languages: []string{"go"}})
		if got, items := a.listAlerts(alertsPath); len(items) != 0 || got.header.Get("Link") != "" {
			t.Errorf("items %v, Link %q", items, got.header.Get("Link"))
		}
	})
}

var linkPart = regexp.MustCompile(`<([^>]+)>; rel="([a-z]+)"`)

// parseLinks returns a Link header's relations, in order, and their URLs.
func parseLinks(t *testing.T, header string) ([]string, map[string]string) {
	t.Helper()
	var rels []string
	urls := map[string]string{}
	if header == "" {
		return nil, urls
	}
	for _, part := range strings.Split(header, ", ") {
		m := linkPart.FindStringSubmatch(part)
		if m == nil {
			t.Fatalf("Link part %q is not <url>; rel=\"name\"", part)
		}
		rels = append(rels, m[2])
		urls[m[2]] = m[1]
	}
	return rels, urls
}

func cursorFrom(t *testing.T, header, rel string) string {
	t.Helper()
	_, urls := parseLinks(t, header)
	u := urls[rel]
	for _, key := range []string{"after=", "before="} {
		if i := strings.Index(u, key); i >= 0 {
			v := u[i+len(key):]
			if j := strings.IndexByte(v, '&'); j >= 0 {
				v = v[:j]
			}
			return v
		}
	}
	return ""
}

// expectedAlertOrder is every alert of octo-org/app with an instance on the default branch,
// newest first, read through the accessor rather than the API under test.
func expectedAlertOrder(t *testing.T, e *Emulator, n int) []int {
	t.Helper()
	var all []Alert
	for number := 1; number <= n; number++ {
		a, ok := e.Alert("octo-org", "app", number)
		if !ok {
			t.Fatalf("alert %d missing", number)
		}
		if a.instanceOn(defaultBranchRef) != nil {
			all = append(all, a)
		}
	}
	slices.SortFunc(all, func(x, y Alert) int {
		if c := y.CreatedAt.Compare(x.CreatedAt); c != 0 {
			return c
		}
		return y.Number - x.Number
	})
	out := make([]int, len(all))
	for i, a := range all {
		out[i] = a.Number
	}
	return out
}

func TestListAlertsPagesByNumber(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	const seeded, perPage = 250, 7
	a.emu.SeedAlerts("octo-org", "app", seeded, 1)
	want := expectedAlertOrder(t, a.emu, seeded)
	lastPage := (len(want) + perPage - 1) / perPage

	var got []int
	next := a.base + alertsPath + fmt.Sprintf("?per_page=%d&page=1&tool_name=", perPage)
	for page := 1; next != ""; page++ {
		resp := a.doURL("GET", next, "")
		if resp.status != http.StatusOK {
			t.Fatalf("page %d: status %d", page, resp.status)
		}
		var items []map[string]any
		if err := json.Unmarshal(resp.body, &items); err != nil {
			t.Fatal(err)
		}
		got = append(got, numbersOf(items)...)

		rels, urls := parseLinks(t, resp.header.Get("Link"))
		var wantRels []string
		switch page {
		case 1:
			wantRels = []string{"next", "last"}
		case lastPage:
			wantRels = []string{"prev", "first"}
		default:
			wantRels = []string{"prev", "next", "last", "first"}
		}
		if !slices.Equal(rels, wantRels) {
			t.Fatalf("page %d: Link relations %v, want %v", page, rels, wantRels)
		}
		if last := urls["last"]; last != "" && !strings.Contains(last, fmt.Sprintf("page=%d", lastPage)) {
			t.Errorf("page %d: last = %s, want page=%d", page, last, lastPage)
		}
		for _, u := range urls {
			if !strings.HasPrefix(u, a.base+alertsPath+"?") || !strings.Contains(u, "per_page=7") ||
				!strings.Contains(u, "tool_name=") {
				t.Errorf("page %d: link %s does not repeat the request", page, u)
			}
		}
		next = urls["next"]
	}
	if !slices.Equal(got, want) {
		t.Errorf("walking %d pages gave %d alerts, want %d in order; first difference at %d",
			lastPage, len(got), len(want), firstDifference(got, want))
	}

	// A page past the end is empty and points back.
	resp, items := a.listAlerts(alertsPath + fmt.Sprintf("?per_page=%d&page=%d", perPage, lastPage+5))
	if rels, urls := parseLinks(t, resp.header.Get("Link")); len(items) != 0 ||
		!slices.Equal(rels, []string{"prev", "first"}) || !strings.Contains(urls["prev"], fmt.Sprintf("page=%d", lastPage)) {
		t.Errorf("past the end: %d items, Link %s", len(items), resp.header.Get("Link"))
	}
	// The default page size is 30, and one page needs no Link.
	if _, items := a.listAlerts(alertsPath); len(items) != defaultPerPage {
		t.Errorf("default page has %d alerts", len(items))
	}
	if resp, items := a.listAlerts(alertsPath + "?pr=3&per_page=100"); resp.header.Get("Link") != "" || len(items) == 0 {
		t.Errorf("single page: %d items, Link %q", len(items), resp.header.Get("Link"))
	}
}

func TestListAlertsPagesByCursor(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	const seeded, perPage = 250, 9
	a.emu.SeedAlerts("octo-org", "app", seeded, 2)
	want := expectedAlertOrder(t, a.emu, seeded)

	walk := func(start, rel string) (pages [][]int) {
		next := a.base + alertsPath + start
		for next != "" {
			resp := a.doURL("GET", next, "")
			if resp.status != http.StatusOK {
				t.Fatalf("GET %s: status %d, body %s", next, resp.status, resp.body)
			}
			var items []map[string]any
			if err := json.Unmarshal(resp.body, &items); err != nil {
				t.Fatal(err)
			}
			pages = append(pages, numbersOf(items))
			rels, urls := parseLinks(t, resp.header.Get("Link"))
			if slices.Contains(rels, "last") || slices.Contains(rels, "first") || strings.Contains(resp.header.Get("Link"), "&page=") {
				t.Fatalf("cursor page has page-number links: %s", resp.header.Get("Link"))
			}
			next = urls[rel]
			if len(pages) > seeded {
				t.Fatal("the walk does not end")
			}
		}
		return pages
	}

	forward := walk(fmt.Sprintf("?per_page=%d&after=", perPage), "next")
	if got := slices.Concat(forward...); !slices.Equal(got, want) {
		t.Errorf("forward walk gave %d alerts, want %d in order; first difference at %d",
			len(got), len(want), firstDifference(got, want))
	}
	backward := walk(fmt.Sprintf("?per_page=%d&before=", perPage), "prev")
	slices.Reverse(backward)
	if got := slices.Concat(backward...); !slices.Equal(got, want) {
		t.Errorf("backward walk gave %d alerts, want %d in order; first difference at %d",
			len(got), len(want), firstDifference(got, want))
	}

	// A cursor keeps its place when alerts are added before it, where a page number would not.
	cursor := cursorFrom(t, a.do("GET", alertsPath+"?per_page=5&after=", "").header.Get("Link"), "next")
	_, before := a.listAlerts(alertsPath + "?per_page=5&after=" + cursor)
	a.emu.AddAlert("octo-org", "app", Alert{}) // found now, so newest
	_, after := a.listAlerts(alertsPath + "?per_page=5&after=" + cursor)
	if !slices.Equal(numbersOf(before), numbersOf(after)) {
		t.Errorf("a new alert moved the page after the cursor from %v to %v", numbersOf(before), numbersOf(after))
	}
}

func firstDifference(a, b []int) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func TestListOrgAlerts(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"), scanned("lib"),
		Repository{Owner: "octo-org", Name: "off"}, Repository{Owner: "other-org", Name: "app", AdvancedSecurity: true})
	addAlertFixture(t, a.emu)
	a.emu.AddAlert("octo-org", "lib", Alert{CreatedAt: fixtureStart.Add(90 * time.Minute)})
	a.emu.AddAlert("octo-org", "off", Alert{CreatedAt: fixtureStart})
	a.emu.AddAlert("other-org", "app", Alert{CreatedAt: fixtureStart})

	type listed struct {
		repo   string
		number int
	}
	list := func(query string) []listed {
		_, items := a.listAlerts("orgs/Octo-Org/code-scanning/alerts" + query)
		out := make([]listed, len(items))
		for i, item := range items {
			repo, _ := item["repository"].(map[string]any)
			out[i] = listed{fmt.Sprint(repo["full_name"]), numbersOf(items[i : i+1])[0]}
		}
		return out
	}
	tests := []struct {
		query string
		want  []listed
	}{
		// Default branch only (app #5 is in a pull request), Advanced Security repositories only.
		{"", []listed{{"octo-org/app", 6}, {"octo-org/app", 4}, {"octo-org/app", 3}, {"octo-org/app", 2},
			{"octo-org/lib", 1}, {"octo-org/app", 1}}},
		{"?state=open&direction=asc", []listed{{"octo-org/app", 1}, {"octo-org/lib", 1}, {"octo-org/app", 4},
			{"octo-org/app", 6}}},
		{"?severity=warning&tool_name=CodeQL", []listed{{"octo-org/lib", 1}}},
		{"?assignees=*&sort=updated", []listed{{"octo-org/app", 3}, {"octo-org/app", 1}}},
		{"?pr=7", []listed{{"octo-org/app", 6}, {"octo-org/app", 4}, {"octo-org/app", 3}, {"octo-org/app", 2},
			{"octo-org/lib", 1}, {"octo-org/app", 1}}}, // pr is not an organization filter
	}
	for _, tt := range tests {
		if got := list(tt.query); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q: %v, want %v", tt.query, got, tt.want)
		}
	}

	// Both paging styles work across repositories.
	resp, items := a.listAlerts("orgs/octo-org/code-scanning/alerts?per_page=4&after=")
	next := cursorFrom(t, resp.header.Get("Link"), "next")
	_, rest := a.listAlerts("orgs/octo-org/code-scanning/alerts?per_page=4&after=" + next)
	if len(items) != 4 || len(rest) != 2 {
		t.Errorf("cursor pages of %d and %d alerts, want 4 and 2", len(items), len(rest))
	}
	resp, _ = a.listAlerts("orgs/octo-org/code-scanning/alerts?per_page=4")
	if rels, _ := parseLinks(t, resp.header.Get("Link")); !slices.Equal(rels, []string{"next", "last"}) {
		t.Errorf("page Link relations %v", rels)
	}
}

// BenchmarkListAlerts walks 10,000 alerts a hundred at a time, as a data source reading every
// alert of a large repository would.
func BenchmarkListAlerts(b *testing.B) {
	e := New(Config{})
	e.AddRepository(scanned("app"))
	e.SeedAlerts("octo-org", "app", 10_000, 1)
	h := e.Handler()
	for b.Loop() {
		for page := 1; ; page++ {
			req := httptest.NewRequest("GET", fmt.Sprintf("http://emulator/%s?per_page=100&page=%d", alertsPath, page), nil)
			req.Header.Set("Authorization", "Bearer x")
			w := &discardWriter{header: http.Header{}}
			h.ServeHTTP(w, req)
			if w.status != http.StatusOK {
				b.Fatalf("status %d", w.status)
			}
			if !strings.Contains(w.header.Get("Link"), `rel="next"`) {
				break
			}
		}
	}
}

// discardWriter is a ResponseWriter that keeps only the status and headers.
type discardWriter struct {
	header http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.header }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }

// IgnoreNewerAlertFilters plays a server that predates severity, assignees and pr: the
// repository list ignores them; the filters it knows still apply.
func TestListAlertsIgnoringNewerFilters(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{IgnoreNewerAlertFilters: true}, scanned("app"))
	addAlertFixture(t, a.emu)
	_, all := a.listAlerts(alertsPath)
	for _, query := range []string{"severity=critical", "assignees=nobody", "pr=42", "severity=low&assignees=*"} {
		if _, got := a.listAlerts(alertsPath + "?" + query); !slices.Equal(numbersOf(got), numbersOf(all)) {
			t.Errorf("%s: alerts %v; want all of %v", query, numbersOf(got), numbersOf(all))
		}
	}
	if _, got := a.listAlerts(alertsPath + "?state=dismissed&severity=critical"); !slices.Equal(numbersOf(got), []int{3}) {
		t.Errorf("state=dismissed: alerts %v; want [3]", numbersOf(got))
	}
}
