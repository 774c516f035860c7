package emulator

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Alert is a code scanning alert as a test sets it up or reads it back. Nil pointers are JSON
// nulls. Values must be ones GitHub's schema allows (State "open", "dismissed" or "fixed";
// Rule.Severity "none", "note", "warning" or "error"; ...): the emulator serves what it is given.
type Alert struct {
	Number int
	State  string // "open", "dismissed" or "fixed"; "" means open
	Rule   AlertRule
	Tool   AlertTool
	// Instances are where the alert was found, most recent first: [0] is most_recent_instance.
	// An alert is listed for a ref only if it has an instance on that ref.
	Instances            []AlertInstance
	CreatedAt, UpdatedAt time.Time
	FixedAt, DismissedAt *time.Time
	DismissedBy          *string // a login
	DismissedReason      *string // "false positive", "won't fix" or "used in tests"
	DismissedComment     *string
	DismissalApprovedBy  *string  // a login, set when a dismissal request was approved
	Assignees            []string // logins
	// DismissalRequest is the request a PATCH with create_request made on a repository with
	// delegated dismissal; the alert stays open until ApproveDismissalRequest.
	DismissalRequest *DismissalRequest
}

// AlertRule is the rule an alert breaks. SecuritySeverityLevel ("low", "medium", "high",
// "critical") is set for security rules only.
type AlertRule struct {
	ID, Name, Severity, Description string
	FullDescription, Help           string // "" means the description, and no help
	SecuritySeverityLevel           *string
	Tags                            []string
}

// AlertTool is the tool that found an alert. CodeQL has a GUID; many third-party tools do not.
type AlertTool struct {
	Name, Version string
	GUID          *string
}

// AlertInstance is one place an alert was found on one ref. State is "open" while the latest
// analysis of the ref still reports it and "fixed" once it does not; "" follows the alert (fixed
// for a fixed alert, else open). Classifications are "source", "generated", "test" or "library".
type AlertInstance struct {
	Ref, CommitSHA, AnalysisKey, Environment, Category, State, Message, Path string
	StartLine, EndLine, StartColumn, EndColumn                               int
	Classifications                                                          []string
}

// DismissalRequest is a request to dismiss an alert on a repository where dismissal needs
// approval (Repository.DelegatedDismissal).
type DismissalRequest struct {
	Reason, Comment, RequestedBy string
	RequestedAt                  time.Time
}

// Alert states as GitHub reports them, and the dismissal reasons the API accepts, in the order
// GitHub's documentation lists them (error messages quote them).
const (
	alertOpen      = "open"
	alertDismissed = "dismissed"
	alertFixed     = "fixed"
	// defaultBranchRef is every emulated repository's default branch (see fullRepositoryJSON).
	defaultBranchRef = "refs/heads/main"
	defaultLogin     = "octocat"
)

var dismissedReasons = []string{"false positive", "won't fix", "used in tests"}

// patchReasons are the dismissed_reason values an alert PATCH accepts: every OpenAPI description
// (github.com, GHES 3.17 and 3.19) adds "mitigated" to the three reasons the prose lists, and
// shows it in the alert it answers with. The repository list's items cannot show it on
// github.com, so seeded alerts keep to dismissedReasons.
var patchReasons = append(slices.Clone(dismissedReasons), "mitigated")

// alertStore is one repository's alerts. Listing sorts them once per change, not once per
// request, so that walking 10,000 alerts a page at a time stays linear.
type alertStore struct {
	byNumber   map[int]*Alert
	lastNumber int
	version    uint64                  // bumped by every change
	sorted     map[string]sortedAlerts // by sort field ("created", "updated"), oldest first
}

type sortedAlerts struct {
	version uint64
	alerts  []*Alert
}

// changed records that an alert was added or modified, so the sorted views are rebuilt.
func (s *alertStore) changed() { s.version++ }

// ordered returns the alerts oldest first by field ("created" or "updated"), ties broken by
// number. Callers hold the lock and must not modify the slice.
func (s *alertStore) ordered(field string) []*Alert {
	if cached, ok := s.sorted[field]; ok && cached.version == s.version {
		return cached.alerts
	}
	out := make([]*Alert, 0, len(s.byNumber))
	for _, a := range s.byNumber {
		out = append(out, a)
	}
	slices.SortFunc(out, func(x, y *Alert) int {
		return cmp.Or(alertTime(x, field).Compare(alertTime(y, field)), cmp.Compare(x.Number, y.Number))
	})
	if s.sorted == nil {
		s.sorted = map[string]sortedAlerts{}
	}
	s.sorted[field] = sortedAlerts{version: s.version, alerts: out}
	return out
}

func alertTime(a *Alert, field string) time.Time {
	if field == sortUpdated {
		return a.UpdatedAt
	}
	return a.CreatedAt
}

// put stores a, numbering it if it has no number. Callers hold the lock.
func (s *alertStore) put(a Alert) int {
	if s.byNumber == nil {
		s.byNumber = map[int]*Alert{}
	}
	if a.Number <= 0 {
		a.Number = s.lastNumber + 1
	}
	s.lastNumber = max(s.lastNumber, a.Number)
	s.byNumber[a.Number] = &a
	s.changed()
	return a.Number
}

// clone copies a so that neither copy's pointers or slices can change the other.
func (a Alert) clone() Alert {
	a.Rule.Tags = slices.Clone(a.Rule.Tags)
	a.Rule.SecuritySeverityLevel = clonePtr(a.Rule.SecuritySeverityLevel)
	a.Tool.GUID = clonePtr(a.Tool.GUID)
	a.Instances = slices.Clone(a.Instances)
	for i := range a.Instances {
		a.Instances[i].Classifications = slices.Clone(a.Instances[i].Classifications)
	}
	a.FixedAt = clonePtr(a.FixedAt)
	a.DismissedAt = clonePtr(a.DismissedAt)
	a.DismissedBy = clonePtr(a.DismissedBy)
	a.DismissedReason = clonePtr(a.DismissedReason)
	a.DismissedComment = clonePtr(a.DismissedComment)
	a.DismissalApprovedBy = clonePtr(a.DismissalApprovedBy)
	a.Assignees = slices.Clone(a.Assignees)
	a.DismissalRequest = clonePtr(a.DismissalRequest)
	return a
}

// normalize fills what a test left empty as GitHub would have it, and makes the fields that
// follow from the state agree with it: only a dismissed alert has dismissal fields, only a fixed
// one a fixed_at. when is the time of the last change, used for timestamps the state implies.
func (a Alert) normalize(repo Repository, when time.Time) Alert {
	a = a.clone()
	when = when.UTC().Truncate(time.Second)
	if a.State == "" {
		a.State = alertOpen
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = when
	}
	if a.UpdatedAt.IsZero() {
		a.UpdatedAt = a.CreatedAt
	}
	if a.Rule.ID == "" {
		a.Rule.ID = "go/emulated-rule"
	}
	if a.Rule.Name == "" {
		a.Rule.Name = a.Rule.ID
	}
	if a.Rule.Severity == "" {
		a.Rule.Severity = "warning"
	}
	if a.Rule.Description == "" {
		a.Rule.Description = a.Rule.Name
	}
	if a.Rule.Tags == nil {
		a.Rule.Tags = []string{}
	}
	if a.Tool.Name == "" {
		a.Tool = codeQLTool()
	}
	if len(a.Instances) == 0 {
		a.Instances = []AlertInstance{{}}
	}
	for i := range a.Instances {
		a.Instances[i] = a.Instances[i].normalize(repo, a)
	}
	if a.Assignees == nil {
		a.Assignees = []string{}
	}

	switch a.State {
	case alertDismissed:
		if a.DismissedAt == nil {
			a.DismissedAt = ptr(when)
		}
		if a.DismissedBy == nil {
			a.DismissedBy = ptr(defaultLogin)
		}
		if a.DismissedReason == nil {
			a.DismissedReason = ptr(dismissedReasons[0])
		}
		a.DismissalRequest = nil
	default:
		a.DismissedAt, a.DismissedBy, a.DismissedReason, a.DismissedComment = nil, nil, nil, nil
		a.DismissalApprovedBy = nil
	}
	if a.State == alertFixed {
		if a.FixedAt == nil {
			a.FixedAt = ptr(when)
		}
		a.DismissalRequest = nil
	} else {
		a.FixedAt = nil
	}
	return a
}

func (in AlertInstance) normalize(repo Repository, a Alert) AlertInstance {
	if in.Ref == "" {
		in.Ref = defaultBranchRef
	}
	if in.CommitSHA == "" {
		in.CommitSHA = fakeSHA("commit:"+in.Ref, repo)
	}
	if in.AnalysisKey == "" {
		in.AnalysisKey = "dynamic/github-code-scanning/codeql:analyze"
	}
	if in.Environment == "" {
		in.Environment = "{}"
	}
	if in.Category == "" {
		in.Category = "/language:go"
	}
	if in.State == "" {
		in.State = alertOpen
		if a.State == alertFixed {
			in.State = alertFixed
		}
	}
	if in.Message == "" {
		in.Message = a.Rule.Description + "."
	}
	if in.Path == "" {
		in.Path = "main.go"
	}
	if in.StartLine == 0 {
		in.StartLine = 1
	}
	if in.EndLine < in.StartLine {
		in.EndLine = in.StartLine
	}
	if in.StartColumn == 0 {
		in.StartColumn = 1
	}
	if in.EndColumn == 0 {
		in.EndColumn = in.StartColumn + 10
	}
	if in.Classifications == nil {
		in.Classifications = []string{}
	}
	return in
}

// codeQLGUID is the GUID the emulator gives CodeQL.
const codeQLGUID = "cc0b21ef-ba82-4c6b-9d8c-2ff0a1c3d4e5"

func codeQLTool() AlertTool {
	return AlertTool{Name: "CodeQL", Version: "2.20.1", GUID: ptr(codeQLGUID)}
}

// instanceOn returns the most recent instance of a on ref, or nil.
func (a *Alert) instanceOn(ref string) *AlertInstance {
	for i := range a.Instances {
		if a.Instances[i].Ref == ref {
			return &a.Instances[i]
		}
	}
	return nil
}

// AddAlert adds an alert to a repository and returns its number: a.Number if set (replacing an
// alert with that number), else the next one. Empty fields are filled as GitHub would have them:
// created now, one open instance on the default branch, CodeQL as the tool; a dismissed alert is
// dismissed by octocat as a false positive unless told otherwise. It returns 0 for an unknown
// repository.
func (e *Emulator) AddAlert(owner, name string, a Alert) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := e.repos[repoKey(owner, name)]
	if st == nil {
		return 0
	}
	now := e.now()
	when := a.UpdatedAt
	if when.IsZero() {
		when = cmp.Or(a.CreatedAt, now)
	}
	return st.alerts.put(a.normalize(st.repo, when))
}

// Alert returns a copy of one alert as GET would show it, and whether it exists.
func (e *Emulator) Alert(owner, name string, number int) (Alert, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.settleSarifUploads(e.now())
	st := e.repos[repoKey(owner, name)]
	if st == nil || st.alerts.byNumber[number] == nil {
		return Alert{}, false
	}
	return st.alerts.byNumber[number].clone(), true
}

// UpdateAlert changes an alert behind the client's back, as someone using GitHub's UI would (a
// reopen, a dismissal, new assignees). mutate runs without the emulator's lock, on a copy. The
// alert is then made consistent as AddAlert does, so setting State to "open" clears the
// dismissal; updated_at becomes now unless mutate set it. It reports whether the alert exists.
func (e *Emulator) UpdateAlert(owner, name string, number int, mutate func(*Alert)) bool {
	e.mu.Lock()
	st := e.repos[repoKey(owner, name)]
	if st == nil || st.alerts.byNumber[number] == nil {
		e.mu.Unlock()
		return false
	}
	stored := st.alerts.byNumber[number]
	a := stored.clone()
	e.mu.Unlock()

	before := a.UpdatedAt
	mutate(&a)

	e.mu.Lock()
	defer e.mu.Unlock()
	if e.repos[repoKey(owner, name)] != st || st.alerts.byNumber[number] != stored {
		return false // deleted or replaced meanwhile
	}
	if a.UpdatedAt.Equal(before) {
		a.UpdatedAt = e.now().UTC().Truncate(time.Second)
	}
	a.Number = number
	*stored = a.normalize(st.repo, a.UpdatedAt)
	st.alerts.changed()
	return true
}

// ApproveDismissalRequest approves an alert's pending dismissal request as approver: the alert
// is dismissed by the requester, with the requested reason and comment. It reports whether there
// was a request to approve.
func (e *Emulator) ApproveDismissalRequest(owner, name string, number int, approver string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := e.repos[repoKey(owner, name)]
	if st == nil || st.alerts.byNumber[number] == nil || st.alerts.byNumber[number].DismissalRequest == nil {
		return false
	}
	a := st.alerts.byNumber[number]
	req := *a.DismissalRequest
	now := e.now().UTC().Truncate(time.Second)
	a.State = alertDismissed
	a.DismissedBy, a.DismissedAt = ptr(req.RequestedBy), ptr(now)
	a.DismissedReason, a.DismissedComment = ptr(req.Reason), ptr(req.Comment)
	a.DismissalApprovedBy = ptr(approver)
	a.DismissalRequest = nil
	a.UpdatedAt = now
	st.alerts.changed()
	return true
}

// DenyDismissalRequest denies an alert's pending dismissal request, as a reviewer would: the
// request is gone and the alert stays open, which the API shows no differently from a request
// still waiting. It reports whether there was a request to deny.
func (e *Emulator) DenyDismissalRequest(owner, name string, number int) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := e.repos[repoKey(owner, name)]
	if st == nil || st.alerts.byNumber[number] == nil || st.alerts.byNumber[number].DismissalRequest == nil {
		return false
	}
	st.alerts.byNumber[number].DismissalRequest = nil
	return true
}

// sameLogin compares logins as GitHub does, ignoring case.
func sameLogin(a, b string) bool { return strings.EqualFold(a, b) }

// alertFor returns the repository and alert a request's path names, or the answer GitHub gives
// when there is none or code scanning may not be used. Callers hold the lock.
func (e *Emulator) alertFor(r *http.Request, docsURL string) (*repoState, *Alert, answer, bool) {
	st, refusal, ok := e.codeScanningRepo(r, docsURL)
	if !ok {
		return nil, nil, refusal, false
	}
	a, refusal, ok := alertIn(st, r, docsURL)
	return st, a, refusal, ok
}

// alertIn returns the alert of st that a request's path names, or GitHub's 404.
func alertIn(st *repoState, r *http.Request, docsURL string) (*Alert, answer, bool) {
	number, err := strconv.Atoi(r.PathValue("alert_number"))
	a := st.alerts.byNumber[number]
	if err != nil || a == nil {
		return nil, errorAnswer(http.StatusNotFound, msgNotFound, docsURL), false
	}
	return a, answer{}, true
}

// shownInstance is the instance a single alert is shown with: its most recent on the default
// branch, else its most recent anywhere (an alert found only in a pull request).
func (a *Alert) shownInstance() *AlertInstance {
	if inst := a.instanceOn(defaultBranchRef); inst != nil {
		return inst
	}
	return &a.Instances[0]
}

// getAlert serves GET /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}.
func (e *Emulator) getAlert(w http.ResponseWriter, r *http.Request) {
	writeAnswer(w, e.withState(func(time.Time) answer {
		st, a, refusal, ok := e.alertFor(r, docsGetAlert)
		if !ok {
			return refusal
		}
		apiBase, webBase := e.urlsFor(r)
		return answer{status: http.StatusOK, body: e.alertJSON(st, a, a.shownInstance(), apiBase, webBase)}
	}))
}
