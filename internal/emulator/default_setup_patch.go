package emulator

import (
	"io"
	"net/http"
	"slices"
	"time"
)

// patchDefaultSetup serves PATCH .../code-scanning/default-setup. The checks run in the order
// GitHub's answers suggest: the repository, its entitlement, its archive flag, the body, then
// the conflict with a run under way.
func (e *Emulator) patchDefaultSetup(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeAnswer(w, errorAnswer(http.StatusBadRequest, msgProblemsParsingJSON, docsUpdateDefaultSetup))
		return
	}
	writeAnswer(w, e.withState(func(now time.Time) answer {
		st, refusal, ok := e.codeScanningRepo(r, docsUpdateDefaultSetup)
		if !ok {
			return refusal
		}
		if st.repo.Archived {
			return errorAnswer(http.StatusForbidden, msgArchived, docsUpdateDefaultSetup)
		}
		if c := e.enforcingConfiguration(st); c != nil {
			return e.enforcedSetupRefusal(c)
		}
		change, refusal, ok := parseSetupChange(body)
		if !ok {
			return refusal
		}
		current := st.effectiveSetup()
		next, problems := change.resolve(current, st.repo.Languages, e.cfg.RunnerLabelOnStandard)
		if len(problems) > 0 {
			return invalidRequest(problems...)
		}
		if sameConfiguration(next, current) {
			return e.noChange(st, r, now)
		}
		if st.pending != nil {
			return errorAnswer(http.StatusConflict, msgRunInProgress, docsUpdateDefaultSetup)
		}
		next.UpdatedAt = ptr(now.UTC().Truncate(time.Second))
		return e.runStartedAnswer(r, e.startRun(st, next, now))
	}))
}

// noChange answers a PATCH that asks for the configuration already in force (or being applied).
// GitHub has answered both ways over time, so NoChangeStatus picks: 200 with an empty object, or
// 202 with a run, the one under way if there is one. Callers hold the lock.
func (e *Emulator) noChange(st *repoState, r *http.Request, now time.Time) answer {
	if e.cfg.NoChangeStatus != http.StatusAccepted {
		return answer{status: e.cfg.NoChangeStatus, body: struct{}{}}
	}
	rn := st.pending
	if rn == nil {
		rn = e.startRun(st, st.setup, now)
	}
	return e.runStartedAnswer(r, rn)
}

// runStartedJSON is the 202 body that tells a client which run to follow.
type runStartedJSON struct {
	RunID  int64  `json:"run_id"`
	RunURL string `json:"run_url"`
}

func (e *Emulator) runStartedAnswer(r *http.Request, rn *run) answer {
	apiBase, _ := e.urlsFor(r)
	return answer{status: http.StatusAccepted, body: runStartedJSON{RunID: rn.id, RunURL: rn.apiURL(apiBase)}}
}

// What a PATCH to standard runners that does not name runner_label does to the label of
// labeled runners (Config.RunnerLabelOnStandard); GitHub does not document it.
const (
	LabelClearedOnStandard = ""       // the label is dropped with the runners that used it
	LabelKeptOnStandard    = "keep"   // GET goes on showing the label beside standard runners
	LabelRefusedOnStandard = "refuse" // 422, as for a label given with standard runners
)

// resolve computes the configuration change leads to from current: fields not given keep their
// value, and enabling fills what was never set as GitHub does (standard runners, the detected
// languages). labelOnStandard is Config.RunnerLabelOnStandard. It returns the problems that make
// the result invalid, worded for a 422.
func (ch setupChange) resolve(current DefaultSetup, detected []string, labelOnStandard string) (DefaultSetup, []string) {
	next := current.clone()
	setIfGiven(&next.State, ch.state)
	setIfGiven(&next.QuerySuite, ch.querySuite)
	setIfGiven(&next.ThreatModel, ch.threatModel)
	// A label beside standard runners is refused when a PATCH gives it; one a PATCH left in place
	// (LabelKeptOnStandard) is what GitHub then holds, and refusing every later change for it
	// would leave the repository stuck.
	labelRefused := false
	if ch.runnerType != nil {
		next.RunnerType = clonePtr(ch.runnerType)
		if *ch.runnerType != runnerLabeled && !ch.runnerLabelGiven && next.RunnerLabel != nil {
			switch labelOnStandard {
			case LabelKeptOnStandard:
			case LabelRefusedOnStandard:
				labelRefused = true
			default:
				next.RunnerLabel = nil // a label only means something to labeled runners
			}
		}
	}
	if ch.runnerLabelGiven {
		next.RunnerLabel = clonePtr(ch.runnerLabel)
	}

	if next.State == stateConfigured {
		if next.RunnerType == nil {
			next.RunnerType = ptr(runnerStandard)
		}
		switch {
		case ch.languages != nil:
			next.Languages = sortedUnique(*ch.languages)
		case current.State != stateConfigured:
			next.Languages = detectedCodeQLLanguages(detected)
		}
		next.Schedule = ptr(scheduleWeekly)
	} else {
		next.Languages = []string{}
		next.Schedule = nil
	}

	var problems []string
	labeled := next.RunnerType != nil && *next.RunnerType == runnerLabeled
	if next.RunnerLabel != nil && !labeled && (ch.runnerLabelGiven || labelRefused) {
		problems = append(problems, `runner_label can only be set when runner_type is "labeled".`)
	}
	if labeled && next.RunnerLabel == nil {
		problems = append(problems, `runner_label is required when runner_type is "labeled".`)
	}
	if next.State == stateConfigured && len(next.Languages) == 0 {
		problems = append(problems, "No CodeQL-supported languages to analyze: "+
			"none were given and none were detected in this repository.")
	}
	return next, problems
}

func setIfGiven(dst *string, given *string) {
	if given != nil {
		*dst = *given
	}
}

// detectedCodeQLLanguages keeps the languages default setup can analyse, so a test that lists
// "rust" as detected gets an answer GitHub's schema allows.
func detectedCodeQLLanguages(detected []string) []string {
	var out []string
	for _, l := range detected {
		if slices.Contains(codeQLLanguages, l) {
			out = append(out, l)
		}
	}
	return sortedUnique(out)
}
