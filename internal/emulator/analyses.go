package emulator

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Analysis is one code scanning analysis of one ref by one tool in one category: what a
// workflow run or a SARIF upload adds. The analyses of a ref, tool and category form a set, of
// which only the most recent is deletable.
type Analysis struct {
	ID                                       int64
	Ref, CommitSHA, AnalysisKey, Environment string
	Category, Error, Warning, SarifID        string
	CreatedAt                                time.Time
	ResultsCount, RulesCount                 int // 0: counted from the repository's alerts
	Tool                                     AlertTool
}

// analysisSet is what makes analyses one set: the most recent of a set replaces the others.
type analysisSet struct{ ref, tool, category string }

func (a *Analysis) set() analysisSet { return analysisSet{a.Ref, a.Tool.Name, a.Category} }

// reports says whether al is one of the results of analyses of a's set: found by its tool, in
// its category, on its ref, and not fixed there. Only a ref's latest analysis decides whether a
// result is fixed, so older analyses of a set show the same results as the newest.
func (a *Analysis) reports(al *Alert) (*AlertInstance, bool) {
	if al.Tool.Name != a.Tool.Name {
		return nil, false
	}
	for i := range al.Instances {
		in := &al.Instances[i]
		if in.Ref == a.Ref && in.Category == a.Category {
			return in, in.State != alertFixed
		}
	}
	return nil, false
}

// normalizeAnalysis fills what a test left empty as GitHub would have it, numbering the analysis
// if it has no id. Callers hold the lock.
func (e *Emulator) normalizeAnalysis(st *repoState, a Analysis, now time.Time) Analysis {
	if a.ID == 0 {
		e.lastAnalysisID++
		a.ID = e.lastAnalysisID
	}
	e.lastAnalysisID = max(e.lastAnalysisID, a.ID)
	a.Ref = fullRef(cmp.Or(a.Ref, defaultBranchRef))
	a.CommitSHA = cmp.Or(a.CommitSHA, fakeSHA("commit:"+a.Ref, st.repo))
	a.AnalysisKey = cmp.Or(a.AnalysisKey, "dynamic/github-code-scanning/codeql:analyze")
	a.Environment = cmp.Or(a.Environment, "{}")
	a.Category = cmp.Or(a.Category, "/language:go")
	if a.Tool.Name == "" {
		a.Tool = codeQLTool()
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
	a.CreatedAt = a.CreatedAt.UTC().Truncate(time.Second)
	a.SarifID = cmp.Or(a.SarifID, fakeUUID(fmt.Sprintf("analysis:%d", a.ID)))
	a.Tool.GUID = clonePtr(a.Tool.GUID)
	return a
}

// countResults fills counts left at zero from the alerts a reports: its results, and the rules
// they break. Callers hold the lock.
func countResults(st *repoState, a *Analysis) {
	results, rules := 0, map[string]bool{}
	for _, al := range st.alerts.byNumber {
		if _, ok := a.reports(al); ok {
			results++
			rules[al.Rule.ID] = true
		}
	}
	a.ResultsCount = cmp.Or(a.ResultsCount, results)
	a.RulesCount = cmp.Or(a.RulesCount, len(rules))
}

// fakeUUID gives a stable, UUID-shaped id, as GitHub's sarif_id is.
func fakeUUID(seed string) string {
	h := fakeSHA("uuid:"+seed, Repository{})
	return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
}

// AddAnalysis adds an analysis to a repository and returns its id: a.ID if set, else the next
// one (ids are unique across the emulator, as GitHub's are). Empty fields are filled as GitHub
// would have them: the default branch, CodeQL, created now; zero counts are counted from the
// alerts the analysis reports (see Analysis). It returns 0 for an unknown repository.
func (e *Emulator) AddAnalysis(owner, name string, a Analysis) int64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := e.repos[repoKey(owner, name)]
	if st == nil {
		return 0
	}
	a = e.normalizeAnalysis(st, a, e.now())
	countResults(st, &a)
	st.analyses = append(st.analyses, &a)
	return a.ID
}

// SeedAnalyses adds, deterministically from seed, the analyses that produced a repository's
// alerts: one set per ref, tool and category its alerts were found in (CodeQL on the default
// branch if it has none), each of one to four analyses a day apart, the last made an hour after
// the set's latest alert changed. Call it after adding alerts. Unknown repositories are ignored.
func (e *Emulator) SeedAnalyses(owner, name string, seed int64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := e.repos[repoKey(owner, name)]
	if st == nil {
		return
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0xa7a1))
	type found struct {
		set       analysisSet
		key, env  string
		tool      AlertTool
		latest    time.Time
		commitSHA string
	}
	sets := map[analysisSet]*found{}
	for _, number := range sortedAlertNumbers(st) {
		al := st.alerts.byNumber[number]
		for _, in := range al.Instances {
			s := analysisSet{in.Ref, al.Tool.Name, in.Category}
			f := sets[s]
			if f == nil {
				f = &found{set: s, key: in.AnalysisKey, env: in.Environment, tool: al.Tool}
				sets[s] = f
			}
			if al.UpdatedAt.After(f.latest) {
				f.latest, f.commitSHA = al.UpdatedAt, in.CommitSHA
			}
		}
	}
	if len(sets) == 0 {
		s := analysisSet{defaultBranchRef, "CodeQL", "/language:go"}
		sets[s] = &found{set: s, key: "dynamic/github-code-scanning/codeql:analyze", env: "{}", tool: codeQLTool(),
			latest: seedEpoch}
	}
	ordered := make([]*found, 0, len(sets))
	for _, f := range sets {
		ordered = append(ordered, f)
	}
	slices.SortFunc(ordered, func(x, y *found) int {
		return cmp.Or(x.latest.Compare(y.latest), cmp.Compare(x.set.ref, y.set.ref),
			cmp.Compare(x.set.tool, y.set.tool), cmp.Compare(x.set.category, y.set.category))
	})
	for _, f := range ordered {
		count := 1 + rng.IntN(4)
		for i := count - 1; i >= 0; i-- {
			a := Analysis{
				Ref: f.set.ref, AnalysisKey: f.key, Environment: f.env, Category: f.set.category,
				Tool:      f.tool,
				CreatedAt: f.latest.Add(time.Hour - time.Duration(i)*24*time.Hour),
				CommitSHA: f.commitSHA,
			}
			if i > 0 || a.CommitSHA == "" {
				a.CommitSHA = fakeSHA(fmt.Sprintf("seed-analysis:%s:%d", f.set.ref, rng.Uint64()), st.repo)
			}
			if rng.IntN(10) == 0 {
				a.Warning = fmt.Sprintf("%d files could not be extracted.", 1+rng.IntN(5))
			}
			a.SarifID = fakeUUID(fmt.Sprintf("seed:%d", rng.Uint64()))
			a = e.normalizeAnalysis(st, a, e.now())
			countResults(st, &a)
			if i > 0 { // older analyses found about as much
				a.ResultsCount += rng.IntN(3)
			}
			a.RulesCount += 20 + rng.IntN(60) // rules run, not only those with results
			st.analyses = append(st.analyses, &a)
		}
	}
}

func sortedAlertNumbers(st *repoState) []int {
	numbers := make([]int, 0, len(st.alerts.byNumber))
	for n := range st.alerts.byNumber {
		numbers = append(numbers, n)
	}
	slices.Sort(numbers)
	return numbers
}

// latestOfSets returns, for each set, the id of its most recent analysis.
func latestOfSets(analyses []*Analysis) map[analysisSet]int64 {
	latest := map[analysisSet]*Analysis{}
	for _, a := range analyses {
		if l := latest[a.set()]; l == nil || a.CreatedAt.After(l.CreatedAt) ||
			(a.CreatedAt.Equal(l.CreatedAt) && a.ID > l.ID) {
			latest[a.set()] = a
		}
	}
	out := make(map[analysisSet]int64, len(latest))
	for s, a := range latest {
		out[s] = a.ID
	}
	return out
}

// analysisJSON is GitHub's "Code Scanning Analysis". Callers hold the lock.
func analysisJSON(st *repoState, a *Analysis, deletable bool, apiBase string) map[string]any {
	return map[string]any{
		"ref":           a.Ref,
		"commit_sha":    a.CommitSHA,
		"analysis_key":  a.AnalysisKey,
		"environment":   a.Environment,
		"category":      a.Category,
		"error":         a.Error,
		"warning":       a.Warning,
		"created_at":    githubTime(a.CreatedAt),
		"results_count": a.ResultsCount,
		"rules_count":   a.RulesCount,
		"id":            a.ID,
		"url":           analysisURL(st, a.ID, apiBase),
		"sarif_id":      a.SarifID,
		"tool":          toolJSON(a.Tool),
		"deletable":     deletable,
	}
}

func analysisURL(st *repoState, id int64, apiBase string) string {
	return apiBase + "repos/" + repoPath(st.repo) + "/code-scanning/analyses/" + strconv.FormatInt(id, 10)
}

// listAnalyses serves GET /repos/{owner}/{repo}/code-scanning/analyses: every ref's analyses,
// newest first unless asked otherwise, paged by number.
func (e *Emulator) listAnalyses(w http.ResponseWriter, r *http.Request) {
	var links string
	a := e.withState(func(time.Time) answer {
		st, refusal, ok := e.codeScanningRepo(r, docsListAnalyses)
		if !ok {
			return refusal
		}
		q := r.URL.Query()
		var problems []string
		enum := func(key string, allowed []string) string {
			if v := q.Get(key); q.Has(key) && !slices.Contains(allowed, v) {
				problems = append(problems, fmt.Sprintf("For '%s', %q is not one of %s.", key, v, enumList(allowed)))
			}
			return q.Get(key)
		}
		desc := enum("direction", directions) != "asc"
		enum("sort", []string{sortCreated})
		toolName, toolGUID, sarifID := q.Get("tool_name"), q.Get("tool_guid"), q.Get("sarif_id")
		if toolName != "" && toolGUID != "" {
			problems = append(problems, "Specify the tool by 'tool_name' or by 'tool_guid', not both.")
		}
		ref, more := refFilter(q.Get("ref"), q["pr"])
		paging, evenMore := parsePaging(q, false)
		if problems = slices.Concat(problems, more, evenMore); len(problems) > 0 {
			return invalidRequestFor(docsListAnalyses, problems...)
		}
		if !st.hasAnalysis() {
			return errorAnswer(http.StatusNotFound, msgNoAnalysisFound, docsListAnalyses)
		}

		var matching []*Analysis
		for _, an := range st.analyses {
			switch {
			case ref != "" && an.Ref != ref,
				toolName != "" && an.Tool.Name != toolName,
				toolGUID != "" && (an.Tool.GUID == nil || *an.Tool.GUID != toolGUID),
				sarifID != "" && an.SarifID != sarifID:
				continue
			}
			matching = append(matching, an)
		}
		slices.SortFunc(matching, func(x, y *Analysis) int {
			c := cmp.Or(x.CreatedAt.Compare(y.CreatedAt), cmp.Compare(x.ID, y.ID))
			if desc {
				return -c
			}
			return c
		})
		lo, hi := paging.pageBounds(len(matching))
		links = linkHeader(paging.pageLinks(e.linkBuilderFor(r), len(matching)))
		latest := latestOfSets(st.analyses)
		apiBase, _ := e.urlsFor(r)
		out := make([]map[string]any, 0, hi-lo)
		for _, an := range matching[lo:hi] {
			out = append(out, analysisJSON(st, an, latest[an.set()] == an.ID, apiBase))
		}
		return answer{status: http.StatusOK, body: out}
	})
	writeListAnswer(w, a, links)
}

// sarifMediaType is the media type that asks for an analysis as SARIF rather than as a summary.
const sarifMediaType = "application/sarif+json"

// wantsSARIF reports whether an Accept header asks for SARIF.
func wantsSARIF(accept string) bool {
	for _, part := range strings.Split(accept, ",") {
		if mt, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil && mt == sarifMediaType {
			return true
		}
	}
	return false
}

// getAnalysis serves GET /repos/{owner}/{repo}/code-scanning/analyses/{analysis_id}, as JSON or,
// when the Accept header asks for application/sarif+json, as the SARIF 2.1.0 log of its results.
func (e *Emulator) getAnalysis(w http.ResponseWriter, r *http.Request) {
	var sarif []byte
	a := e.withState(func(time.Time) answer {
		st, refusal, ok := e.codeScanningRepo(r, docsGetAnalysis)
		if !ok {
			return refusal
		}
		id, err := strconv.ParseInt(r.PathValue("analysis_id"), 10, 64)
		i := slices.IndexFunc(st.analyses, func(an *Analysis) bool { return an.ID == id })
		if err != nil || i < 0 {
			return errorAnswer(http.StatusNotFound, msgNotFound, docsGetAnalysis)
		}
		an := st.analyses[i]
		apiBase, webBase := e.urlsFor(r)
		if wantsSARIF(r.Header.Get("Accept")) {
			sarif = analysisSARIF(st, an, apiBase, webBase)
			return answer{status: http.StatusOK}
		}
		return answer{status: http.StatusOK, body: analysisJSON(st, an, latestOfSets(st.analyses)[an.set()] == an.ID, apiBase)}
	})
	if sarif != nil {
		w.Header().Set("Content-Type", sarifMediaType)
		w.Header().Set("X-GitHub-Media-Type", "github.v3; param=sarif; format=json")
		w.WriteHeader(a.status)
		_, _ = w.Write(sarif)
		return
	}
	writeAnswer(w, a)
}
