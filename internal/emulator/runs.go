package emulator

import (
	"net/http"
	"slices"
	"strconv"
	"time"
)

// Run statuses and conclusions GitHub reports on a workflow run.
const (
	runQueued            = "queued"
	runInProgress        = "in_progress"
	runCompleted         = "completed"
	conclusionSuccess    = "success"
	conclusionFailure    = "failure"
	conclusionCancelled  = "cancelled"
	defaultSetupWorkflow = "dynamic/github-code-scanning/codeql"
)

// run is the validation run a default setup change starts. Its status is not stored but read off
// the clock, so a run needs no goroutine; what it does to the configuration is decided when it
// starts and applied by settleRuns once the clock says it has completed.
type run struct {
	id          int64
	number      int64 // per repository, as run_number is
	repo        *repoState
	createdAt   time.Time
	queued      time.Duration
	inProgress  time.Duration
	cancelledAt *time.Time
	requested   DefaultSetup  // the configuration the change asked for
	outcome     *DefaultSetup // applied on completion; nil leaves the configuration alone
	conclusion  string
}

func (rn *run) startedAt() time.Time { return rn.createdAt.Add(rn.queued) }

func (rn *run) completedAt() time.Time {
	if rn.cancelledAt != nil {
		return *rn.cancelledAt
	}
	return rn.startedAt().Add(rn.inProgress)
}

func (rn *run) status(now time.Time) string {
	switch {
	case !now.Before(rn.completedAt()):
		return runCompleted
	case !now.Before(rn.startedAt()):
		return runInProgress
	default:
		return runQueued
	}
}

func (rn *run) apiURL(apiBase string) string {
	return apiBase + "repos/" + repoPath(rn.repo.repo) + "/actions/runs/" + strconv.FormatInt(rn.id, 10)
}

// startRun starts a run that will apply requested to st, with the durations configured now.
// Run ids are unique across the emulator, as GitHub's are. Callers hold the lock.
func (e *Emulator) startRun(st *repoState, requested DefaultSetup, now time.Time) *run {
	e.lastRunID++
	st.runCount++
	rn := &run{
		id:         e.lastRunID,
		number:     st.runCount,
		repo:       st,
		createdAt:  now,
		queued:     e.cfg.RunQueued,
		inProgress: e.cfg.RunInProgress,
		requested:  requested.clone(),
	}
	rn.conclusion, rn.outcome = runOutcome(st.repo, rn.requested)
	e.runs[rn.id] = rn
	st.pending = rn
	e.settleRuns(now) // with zero durations the run is already over
	return rn
}

// runOutcome decides, from the repository's fault settings, how a run applying requested ends.
// A failing language fails the run but, as GitHub documents, default setup stays enabled for the
// other languages; a forced non-success conclusion leaves the configuration as it was.
func runOutcome(repo Repository, requested DefaultSetup) (string, *DefaultSetup) {
	if forced := repo.RunConclusion; forced != "" && forced != conclusionSuccess {
		return forced, nil
	}
	applied := requested.clone()
	if repo.RunConclusion == conclusionSuccess || requested.State != stateConfigured {
		return conclusionSuccess, &applied
	}
	kept := slices.DeleteFunc(slices.Clone(requested.Languages), func(l string) bool {
		return slices.Contains(repo.FailingLanguages, l)
	})
	if len(kept) == len(requested.Languages) {
		return conclusionSuccess, &applied
	}
	applied.Languages = sortedUnique(kept)
	if len(kept) == 0 {
		applied.State = stateNotConfigured
		applied.Schedule = nil
	}
	return conclusionFailure, &applied
}

// settleRuns applies the outcome of every run that has completed by now. Everything that reads
// state calls it first, so no observer can see a completed run whose configuration is not yet
// in force. Callers hold the lock.
func (e *Emulator) settleRuns(now time.Time) {
	for _, st := range e.repos {
		rn := st.pending
		if rn == nil || rn.status(now) != runCompleted {
			continue
		}
		if rn.outcome != nil {
			st.setup = rn.outcome.clone()
		}
		st.pending = nil
	}
}

// StartOutOfBandRun starts a run applying ds, as a change made in GitHub's UI would; tests use it
// to hold a run under way (for 409s) without going through the API. Empty fields of ds are filled
// as by SetDefaultSetup. A run already under way is cancelled, as a newer run of the same
// workflow cancels an older one. It returns the run id, or 0 for an unknown repository.
func (e *Emulator) StartOutOfBandRun(owner, name string, ds DefaultSetup) int64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	e.settleRuns(now)
	st := e.repos[repoKey(owner, name)]
	if st == nil {
		return 0
	}
	if old := st.pending; old != nil {
		old.cancelledAt = ptr(now)
		old.conclusion = conclusionCancelled
		old.outcome = nil
		st.pending = nil
	}
	return e.startRun(st, ds.normalize(now), now).id
}

// getRun serves GET /repos/{owner}/{repo}/actions/runs/{run_id}. A run is only found under the
// repository it ran in, as on GitHub.
func (e *Emulator) getRun(w http.ResponseWriter, r *http.Request) {
	writeAnswer(w, e.withState(func(now time.Time) answer {
		st := e.repoFor(r)
		id, err := strconv.ParseInt(r.PathValue("run_id"), 10, 64)
		rn := e.runs[id]
		if st == nil || err != nil || rn == nil || rn.repo != st {
			return errorAnswer(http.StatusNotFound, msgNotFound, docsGetWorkflowRun)
		}
		apiBase, webBase := e.urlsFor(r)
		return answer{status: http.StatusOK, body: e.workflowRunJSON(rn, now, apiBase, webBase)}
	}))
}
