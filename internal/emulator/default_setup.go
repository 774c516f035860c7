package emulator

import (
	"net/http"
	"slices"
	"time"
)

// DefaultSetup is a repository's code scanning default setup configuration, as GET shows it.
// Nil pointers are JSON nulls.
type DefaultSetup struct {
	State, QuerySuite, ThreatModel string
	Languages                      []string
	RunnerType, RunnerLabel        *string
	Schedule                       *string
	UpdatedAt                      *time.Time
}

// Values GitHub's schema allows, in the order its enums list them (error messages quote them).
const (
	stateConfigured    = "configured"
	stateNotConfigured = "not-configured"
	runnerStandard     = "standard"
	runnerLabeled      = "labeled"
	scheduleWeekly     = "weekly"
)

var (
	setupStates  = []string{stateConfigured, stateNotConfigured}
	querySuites  = []string{"default", "extended"}
	threatModels = []string{"remote", "remote_and_local"}
	runnerTypes  = []string{runnerStandard, runnerLabeled}
	// codeQLLanguages are the languages a PATCH may name; GET's enum also keeps the retired
	// "javascript" and "typescript", which the emulator reports only with
	// Config.SplitJavaScriptTypeScript.
	codeQLLanguages = []string{"actions", "c-cpp", "csharp", "go", "java-kotlin",
		"javascript-typescript", "python", "ruby", "swift"}
)

// notConfigured is what GitHub shows for a repository where default setup was never enabled.
func notConfigured() DefaultSetup {
	return DefaultSetup{
		State:       stateNotConfigured,
		QuerySuite:  querySuites[0],
		ThreatModel: threatModels[0],
		Languages:   []string{},
	}
}

// clone copies ds so that neither copy's pointers or slice can change the other.
func (ds DefaultSetup) clone() DefaultSetup {
	ds.Languages = slices.Clone(ds.Languages)
	if ds.Languages == nil {
		ds.Languages = []string{}
	}
	ds.RunnerType = clonePtr(ds.RunnerType)
	ds.RunnerLabel = clonePtr(ds.RunnerLabel)
	ds.Schedule = clonePtr(ds.Schedule)
	ds.UpdatedAt = clonePtr(ds.UpdatedAt)
	return ds
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// sameConfiguration reports whether a and b configure the same analysis; when they were changed
// (updated_at) and the schedule that follows from the state do not count.
func sameConfiguration(a, b DefaultSetup) bool {
	return a.State == b.State &&
		a.QuerySuite == b.QuerySuite &&
		a.ThreatModel == b.ThreatModel &&
		slices.Equal(sortedUnique(a.Languages), sortedUnique(b.Languages)) &&
		equalPtr(a.RunnerType, b.RunnerType) &&
		equalPtr(a.RunnerLabel, b.RunnerLabel)
}

func equalPtr[T comparable](a, b *T) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

// sortedUnique returns a sorted copy of s without repeats, never nil: GitHub answers [] rather
// than null, and a stable order keeps comparisons and answers deterministic.
func sortedUnique(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	out = slices.Compact(out)
	if out == nil {
		out = []string{}
	}
	return out
}

// normalize fills what a test left empty in an out-of-band configuration, so it reads like one
// GitHub would store: an empty state means configured when languages are given, configured
// setups run weekly on standard runners unless told otherwise, and they were updated now.
func (ds DefaultSetup) normalize(now time.Time) DefaultSetup {
	ds = ds.clone()
	if ds.State == "" {
		ds.State = stateNotConfigured
		if len(ds.Languages) > 0 {
			ds.State = stateConfigured
		}
	}
	if ds.QuerySuite == "" {
		ds.QuerySuite = querySuites[0]
	}
	if ds.ThreatModel == "" {
		ds.ThreatModel = threatModels[0]
	}
	ds.Languages = sortedUnique(ds.Languages)
	if ds.State != stateConfigured {
		ds.Languages = []string{}
		ds.Schedule = nil
		return ds
	}
	if ds.RunnerType == nil {
		ds.RunnerType = ptr(runnerStandard)
	}
	if ds.Schedule == nil {
		ds.Schedule = ptr(scheduleWeekly)
	}
	if ds.UpdatedAt == nil {
		ds.UpdatedAt = ptr(now.UTC().Truncate(time.Second))
	}
	return ds
}

func ptr[T any](v T) *T { return &v }

// shownSetup is the configuration GET shows: the applied one, or with ShowPendingConfig the one a
// run under way is applying. Callers hold the lock.
func (e *Emulator) shownSetup(st *repoState) DefaultSetup {
	if st.pending != nil && e.cfg.ShowPendingConfig {
		return st.pending.requested.clone()
	}
	return st.setup.clone()
}

// effectiveSetup is the configuration a PATCH is compared with and builds on: the one a run under
// way is applying, else the applied one. It ignores ShowPendingConfig, which changes only what
// GET shows.
func (st *repoState) effectiveSetup() DefaultSetup {
	if st.pending != nil {
		return st.pending.requested.clone()
	}
	return st.setup.clone()
}

// defaultSetupJSON is the body of GET .../code-scanning/default-setup.
type defaultSetupJSON struct {
	State       string   `json:"state"`
	Languages   []string `json:"languages"`
	QuerySuite  string   `json:"query_suite"`
	ThreatModel string   `json:"threat_model"`
	UpdatedAt   *string  `json:"updated_at"`
	Schedule    *string  `json:"schedule"`
	RunnerType  *string  `json:"runner_type"`
	RunnerLabel *string  `json:"runner_label"`
}

func (ds DefaultSetup) toJSON() defaultSetupJSON {
	ds = ds.clone()
	out := defaultSetupJSON{
		State:       ds.State,
		Languages:   ds.Languages,
		QuerySuite:  ds.QuerySuite,
		ThreatModel: ds.ThreatModel,
		Schedule:    ds.Schedule,
		RunnerType:  ds.RunnerType,
		RunnerLabel: ds.RunnerLabel,
	}
	if ds.UpdatedAt != nil {
		out.UpdatedAt = ptr(githubTime(*ds.UpdatedAt))
	}
	return out
}

func (e *Emulator) getDefaultSetup(w http.ResponseWriter, r *http.Request) {
	writeAnswer(w, e.withState(func(time.Time) answer {
		st, refusal, ok := e.codeScanningRepo(r, docsGetDefaultSetup)
		if !ok {
			return refusal
		}
		return answer{status: http.StatusOK, body: e.reportLanguages(e.shownSetup(st)).toJSON()}
	}))
}

// reportLanguages words ds's languages as GET reports them: javascript-typescript as
// Config.SplitJavaScriptTypeScript says, when it is set.
func (e *Emulator) reportLanguages(ds DefaultSetup) DefaultSetup {
	split := e.cfg.SplitJavaScriptTypeScript
	if len(split) == 0 || !slices.Contains(ds.Languages, "javascript-typescript") {
		return ds
	}
	ds.Languages = slices.DeleteFunc(ds.Languages, func(l string) bool { return l == "javascript-typescript" })
	ds.Languages = sortedUnique(append(ds.Languages, split...))
	return ds
}

// DefaultSetup returns a repository's configuration as GET would show it at this instant (in
// the one language name PATCH takes, javascript-typescript, whatever SplitJavaScriptTypeScript
// says), and whether the repository exists.
func (e *Emulator) DefaultSetup(owner, name string) (DefaultSetup, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.settleRuns(e.now())
	e.settleAttachments(e.now())
	st := e.repos[repoKey(owner, name)]
	if st == nil {
		return DefaultSetup{}, false
	}
	return e.shownSetup(st), true
}

// SetDefaultSetup changes a repository's configuration at once, without a run, as someone editing
// it outside Terraform would; tests use it to make drift. Empty fields are filled as GitHub
// would (see normalize). A run under way is left alone and still applies its outcome when it
// completes. Unknown repositories are ignored.
func (e *Emulator) SetDefaultSetup(owner, name string, ds DefaultSetup) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	e.settleRuns(now)
	e.settleAttachments(now)
	if st := e.repos[repoKey(owner, name)]; st != nil {
		st.setup = ds.normalize(now)
	}
}
