package emulator

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"
)

// workflowRunJSON is GitHub's "Workflow Run" for rn as it stands at now. Default setup runs are
// "dynamic" workflows named CodeQL, started on the default branch. Callers hold the lock.
func (e *Emulator) workflowRunJSON(rn *run, now time.Time, apiBase, webBase string) map[string]any {
	st := rn.repo
	id := strconv.FormatInt(rn.id, 10)
	repoURL := apiBase + "repos/" + repoPath(st.repo)
	runURL := rn.apiURL(apiBase)
	workflowID := 1_000_000 + st.id // one dynamic CodeQL workflow per repository
	status := rn.status(now)

	var conclusion *string
	updated := rn.createdAt
	switch status {
	case runInProgress:
		updated = rn.startedAt()
	case runCompleted:
		conclusion = ptr(rn.conclusion)
		updated = rn.completedAt()
	}

	sha := fakeSHA("commit", st.repo)
	committer := map[string]any{"name": st.repo.Owner, "email": st.repo.Owner + "@users.noreply.github.com"}
	repo := e.minimalRepositoryJSON(st, apiBase, webBase)
	actor := e.simpleUserJSON(st.repo.Owner, apiBase, webBase)
	return map[string]any{
		"id":                   rn.id,
		"name":                 "CodeQL",
		"display_title":        "CodeQL",
		"node_id":              "WFR_emulated" + id,
		"check_suite_id":       rn.id,
		"check_suite_node_id":  "CS_emulated" + id,
		"head_branch":          "main",
		"head_sha":             sha,
		"path":                 defaultSetupWorkflow,
		"run_number":           rn.number,
		"run_attempt":          1,
		"referenced_workflows": []any{},
		"event":                "dynamic",
		"status":               status,
		"conclusion":           conclusion,
		"workflow_id":          workflowID,
		"url":                  runURL,
		"html_url":             webBase + repoPath(st.repo) + "/actions/runs/" + id,
		"pull_requests":        []any{},
		"created_at":           githubTime(rn.createdAt),
		"updated_at":           githubTime(updated),
		"run_started_at":       githubTime(rn.createdAt),
		"actor":                actor,
		"triggering_actor":     actor,
		"jobs_url":             runURL + "/jobs",
		"logs_url":             runURL + "/logs",
		"check_suite_url":      repoURL + "/check-suites/" + id,
		"artifacts_url":        runURL + "/artifacts",
		"cancel_url":           runURL + "/cancel",
		"rerun_url":            runURL + "/rerun",
		"previous_attempt_url": nil,
		"workflow_url":         fmt.Sprintf("%s/actions/workflows/%d", repoURL, workflowID),
		"head_commit": map[string]any{
			"id":        sha,
			"tree_id":   fakeSHA("tree", st.repo),
			"message":   "Initial commit",
			"timestamp": githubTime(st.createdAt),
			"author":    committer,
			"committer": committer,
		},
		"repository":         repo,
		"head_repository":    repo,
		"head_repository_id": st.id,
	}
}

// fakeSHA gives each repository stable, different-looking object ids.
func fakeSHA(kind string, r Repository) string {
	sum := sha1.Sum([]byte(kind + ":" + repoKey(r.Owner, r.Name)))
	return hex.EncodeToString(sum[:])
}

// githubTime formats t as GitHub does: UTC, whole seconds.
func githubTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}
