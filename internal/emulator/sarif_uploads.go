package emulator

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"time"
)

// Processing states of a SARIF upload, as GET .../sarifs/{sarif_id} reports them.
const (
	sarifPending  = "pending"
	sarifComplete = "complete"
	sarifFailed   = "failed"
	// sarifAnalysisKey is the analysis_key of analyses made by uploads, which have no workflow
	// job to name them after.
	sarifAnalysisKey = "api/sarif-upload"
	// githubSarifLimit is GitHub's limit on the gzip-compressed size of an upload.
	githubSarifLimit = 10 << 20
)

// SarifUploadStatus is what the emulator knows of one SARIF upload: how its processing went, the
// analyses it made, and what the client sent (SARIF is the log, decompressed).
type SarifUploadStatus struct {
	ProcessingStatus string // "pending", "complete" or "failed"
	Errors           []string
	AnalysisIDs      []int64
	CommitSHA, Ref   string
	SARIF            []byte
}

// sarifUpload is one upload. It is processed, like a run, lazily from the clock: once readyAt
// has passed, the next request or accessor processes it as of readyAt.
type sarifUpload struct {
	id                  string
	repo                *repoState
	receivedAt, readyAt time.Time
	commitSHA, ref      string
	validate            bool
	log                 []byte
	status              string
	errors              []string
	analysisIDs         []int64
}

func (u *sarifUpload) toStatus() SarifUploadStatus {
	return SarifUploadStatus{
		ProcessingStatus: u.status,
		Errors:           slices.Clone(u.errors),
		AnalysisIDs:      slices.Clone(u.analysisIDs),
		CommitSHA:        u.commitSHA,
		Ref:              u.ref,
		SARIF:            slices.Clone(u.log),
	}
}

// sarifUploadRequest is a POST body that passed GitHub's schema.
type sarifUploadRequest struct {
	commitSHA, ref, sarif string
	validate              bool
}

var (
	commitSHAPattern = regexp.MustCompile(`^([0-9a-fA-F]{40}(?:[0-9a-fA-F]{24})?)$`)
	uploadRefPattern = regexp.MustCompile(`^refs/(heads|tags|pull)/.*$`)
)

// parseSarifUploadRequest checks a POST body against the operation's schema: the three required
// fields, their patterns, and no keys beyond the documented ones.
func parseSarifUploadRequest(body []byte) (sarifUploadRequest, answer, bool) {
	var req sarifUploadRequest
	if !json.Valid(body) {
		return req, errorAnswer(http.StatusBadRequest, msgProblemsParsingJSON, docsUploadSarif), false
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return req, invalidRequestFor(docsUploadSarif,
			fmt.Sprintf("For 'links/0/schema', %s is not an object.", compactJSON(body))), false
	}
	var problems []string
	str := func(key string) (string, bool) {
		raw, given := fields[key]
		if !given {
			return "", false
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil || isJSONNull(raw) {
			problems = append(problems, fmt.Sprintf("For 'properties/%s', %s is not a string.", key, compactJSON(raw)))
			return "", false
		}
		return s, true
	}
	for _, key := range []string{"commit_sha", "ref", "sarif"} {
		if _, given := fields[key]; !given {
			problems = append(problems, fmt.Sprintf("%q wasn't supplied.", key))
		}
	}
	if s, ok := str("commit_sha"); ok {
		if !commitSHAPattern.MatchString(s) {
			problems = append(problems, fmt.Sprintf("For 'properties/commit_sha', %q does not match %q.", s, commitSHAPattern))
		}
		req.commitSHA = s
	}
	if s, ok := str("ref"); ok {
		if !uploadRefPattern.MatchString(s) {
			problems = append(problems, fmt.Sprintf("For 'properties/ref', %q does not match %q.", s, uploadRefPattern))
		}
		req.ref = s
	}
	req.sarif, _ = str("sarif")
	if s, ok := str("checkout_uri"); ok {
		if u, err := url.Parse(s); err != nil || !u.IsAbs() {
			problems = append(problems, fmt.Sprintf("For 'properties/checkout_uri', %q is not a URI.", s))
		}
	}
	if s, ok := str("started_at"); ok {
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			problems = append(problems, fmt.Sprintf("For 'properties/started_at', %q is not a date-time.", s))
		}
	}
	str("tool_name")
	if raw, given := fields["validate"]; given {
		if err := json.Unmarshal(raw, &req.validate); err != nil || isJSONNull(raw) {
			problems = append(problems, fmt.Sprintf("For 'properties/validate', %s is not a boolean.", compactJSON(raw)))
		}
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !slices.Contains([]string{"commit_sha", "ref", "sarif", "checkout_uri", "started_at", "tool_name", "validate"}, k) {
			problems = append(problems, fmt.Sprintf("%q is not a permitted key.", k))
		}
	}
	if len(problems) > 0 {
		return req, invalidRequestFor(docsUploadSarif, problems...), false
	}
	return req, answer{}, true
}

// decodeSarif undoes the upload's encoding (base64 of gzip of JSON), answering as the operation
// documents: 400 for a sarif field that is not what it should be, 413 for one that is too large.
func (e *Emulator) decodeSarif(field string) ([]byte, answer, bool) {
	compressed, err := base64.StdEncoding.DecodeString(field)
	if err != nil {
		return nil, errorAnswer(http.StatusBadRequest, msgSarifNotBase64, docsUploadSarif), false
	}
	if len(compressed) > e.cfg.SarifMaxBytes {
		return nil, errorAnswer(http.StatusRequestEntityTooLarge, fmt.Sprintf(
			"The sarif field is too large: %d bytes gzip-compressed, where the limit is %d.",
			len(compressed), e.cfg.SarifMaxBytes), docsUploadSarif), false
	}
	zr, err := gzip.NewReader(bytes.NewReader(compressed))
	if err != nil {
		return nil, errorAnswer(http.StatusBadRequest, msgSarifNotGzip, docsUploadSarif), false
	}
	log, err := io.ReadAll(zr)
	if err != nil {
		return nil, errorAnswer(http.StatusBadRequest, msgSarifNotGzip, docsUploadSarif), false
	}
	var object map[string]json.RawMessage
	if err := json.Unmarshal(log, &object); err != nil || object == nil {
		return nil, errorAnswer(http.StatusBadRequest, msgSarifNotJSON, docsUploadSarif), false
	}
	return log, answer{}, true
}

// sarifUploadJSON is the 202 body that tells a client where to follow its upload.
type sarifUploadJSON struct {
	ID  string `json:"id"`
	URL string `json:"url"`
}

func sarifUploadURL(st *repoState, id, apiBase string) string {
	return apiBase + "repos/" + repoPath(st.repo) + "/code-scanning/sarifs/" + id
}

// postSarif serves POST /repos/{owner}/{repo}/code-scanning/sarifs. Problems with the log's
// encoding are answered at once; problems with its content fail the upload's processing, as on
// GitHub, where they show only in GET .../sarifs/{sarif_id}.
func (e *Emulator) postSarif(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeAnswer(w, errorAnswer(http.StatusBadRequest, msgProblemsParsingJSON, docsUploadSarif))
		return
	}
	writeAnswer(w, e.withState(func(now time.Time) answer {
		st, refusal, ok := e.codeScanningRepo(r, docsUploadSarif)
		if !ok {
			return refusal
		}
		if st.repo.Archived {
			return errorAnswer(http.StatusForbidden, msgArchived, docsUploadSarif)
		}
		req, refusal, ok := parseSarifUploadRequest(body)
		if !ok {
			return refusal
		}
		log, refusal, ok := e.decodeSarif(req.sarif)
		if !ok {
			return refusal
		}
		e.lastSarifUpload++
		u := &sarifUpload{
			id: fakeUUID(fmt.Sprintf("sarif:%d", e.lastSarifUpload)), repo: st,
			receivedAt: now, readyAt: now.Add(e.cfg.SarifProcessing),
			commitSHA: req.commitSHA, ref: req.ref, validate: req.validate,
			log: log, status: sarifPending,
		}
		if st.sarifUploads == nil {
			st.sarifUploads = map[string]*sarifUpload{}
		}
		st.sarifUploads[u.id] = u
		e.pendingUploads = append(e.pendingUploads, u)
		e.settleSarifUploads(now)
		apiBase, _ := e.urlsFor(r)
		return answer{status: http.StatusAccepted, body: sarifUploadJSON{ID: u.id, URL: sarifUploadURL(st, u.id, apiBase)}}
	}))
}

// sarifStatusJSON is GitHub's "Code Scanning Sarifs Status".
type sarifStatusJSON struct {
	ProcessingStatus string   `json:"processing_status"`
	AnalysesURL      *string  `json:"analyses_url"`
	Errors           []string `json:"errors"`
}

// getSarif serves GET /repos/{owner}/{repo}/code-scanning/sarifs/{sarif_id}.
func (e *Emulator) getSarif(w http.ResponseWriter, r *http.Request) {
	writeAnswer(w, e.withState(func(time.Time) answer {
		st, refusal, ok := e.codeScanningRepo(r, docsGetSarif)
		if !ok {
			return refusal
		}
		u := st.sarifUploads[r.PathValue("sarif_id")]
		if u == nil {
			return errorAnswer(http.StatusNotFound, msgNotFound, docsGetSarif)
		}
		out := sarifStatusJSON{ProcessingStatus: u.status, Errors: slices.Clone(u.errors)}
		if u.status == sarifComplete {
			apiBase, _ := e.urlsFor(r)
			out.AnalysesURL = ptr(apiBase + "repos/" + repoPath(st.repo) + "/code-scanning/analyses?sarif_id=" + u.id)
		}
		return answer{status: http.StatusOK, body: out}
	}))
}

// SarifUpload returns what the emulator knows of an upload as GET would show it at this instant,
// and whether the repository has an upload with that id.
func (e *Emulator) SarifUpload(owner, name, id string) (SarifUploadStatus, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.settleSarifUploads(e.now())
	st := e.repos[repoKey(owner, name)]
	if st == nil || st.sarifUploads[id] == nil {
		return SarifUploadStatus{}, false
	}
	return st.sarifUploads[id].toStatus(), true
}

// settleSarifUploads processes every upload whose processing time has passed, oldest first, so
// no observer sees a complete upload whose analyses are not there. Callers hold the lock.
func (e *Emulator) settleSarifUploads(now time.Time) {
	kept := e.pendingUploads[:0]
	for _, u := range e.pendingUploads {
		if now.Before(u.readyAt) {
			kept = append(kept, u)
			continue
		}
		e.processSarifUpload(u)
	}
	clear(e.pendingUploads[len(kept):])
	e.pendingUploads = kept
}

// processSarifUpload completes or fails u as of its ready time: each run of a readable log
// makes an analysis. Its results make no alerts: no test of the provider reads alerts an upload
// made (DESIGN.md, "SARIF uploads"), and seeded alerts (SeedAlerts, AddAlert) stand for them.
// Callers hold the lock.
func (e *Emulator) processSarifUpload(u *sarifUpload) {
	var log sarifLog
	if err := json.Unmarshal(u.log, &log); err != nil {
		u.status, u.errors = sarifFailed, []string{"Invalid SARIF: " + err.Error()}
		return
	}
	runs, errs := readSarif(log, u.validate)
	if len(errs) > 0 {
		u.status, u.errors = sarifFailed, errs
		return
	}
	at := u.readyAt.UTC().Truncate(time.Second)
	for _, run := range runs {
		an := e.normalizeAnalysis(u.repo, Analysis{
			Ref: u.ref, CommitSHA: u.commitSHA, AnalysisKey: sarifAnalysisKey, Environment: "{}",
			Category: run.category, Tool: run.tool, CreatedAt: at, SarifID: u.id,
			ResultsCount: run.results, RulesCount: run.rulesCount,
		}, at)
		if run.skipped > 0 {
			an.Warning = fmt.Sprintf("%d results were skipped because they have no location.", run.skipped)
		}
		u.repo.analyses = append(u.repo.analyses, &an)
		u.analysisIDs = append(u.analysisIDs, an.ID)
	}
	u.status = sarifComplete
}
