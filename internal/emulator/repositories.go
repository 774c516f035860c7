package emulator

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// Repository is a repository as a test sets it up: who owns it, whether code scanning may be
// used on it, and how default setup runs on it will go.
type Repository struct {
	Owner, Name      string
	AdvancedSecurity bool     // code scanning allowed
	Archived         bool     // read-only: a default setup change is refused
	Languages        []string // detected CodeQL languages, e.g. "go", "python"
	FailingLanguages []string // a run that analyses any of these concludes "failure"
	RunConclusion    string   // forced conclusion, "" = computed

	// DelegatedDismissal makes a code scanning alert dismissal a request for approval
	// (create_request), as an organization's delegated alert dismissal setting does.
	DelegatedDismissal bool
	// Collaborators, when set, are the only logins alerts may be assigned to; when empty any
	// login may be.
	Collaborators []string
	// Visibility is VisibilityPublic, VisibilityPrivate (when empty) or VisibilityInternal; a
	// configuration's attachment scopes and defaults for new repositories go by it.
	Visibility string
}

// Repository visibilities, as GitHub names them.
const (
	VisibilityPublic   = "public"
	VisibilityPrivate  = "private"
	VisibilityInternal = "internal"
)

func (r Repository) visibility() string {
	if r.Visibility == "" {
		return VisibilityPrivate
	}
	return r.Visibility
}

func (r Repository) clone() Repository {
	r.Languages = slices.Clone(r.Languages)
	r.FailingLanguages = slices.Clone(r.FailingLanguages)
	r.Collaborators = slices.Clone(r.Collaborators)
	return r
}

// repoState is everything the emulator knows about one repository.
type repoState struct {
	id        int64
	repo      Repository
	createdAt time.Time
	setup     DefaultSetup               // the applied configuration
	pending   *run                       // the run changing setup, until it completes; nil if none
	runCount  int64                      // runs started so far, for run_number
	alerts    alertStore                 // code scanning alerts
	analyses  []*Analysis                // in the order added
	databases map[string]*CodeQLDatabase // by language, lower-cased
	// sarifUploads are the SARIF uploads made to the repository, by id.
	sarifUploads map[string]*sarifUpload
	// attachment is the code security configuration attached to it; nil if none.
	attachment *attachment
}

// repoKey is the map key for a repository. GitHub treats owner and repository names
// case-insensitively, and so does the emulator.
func repoKey(owner, name string) string {
	return strings.ToLower(owner) + "/" + strings.ToLower(name)
}

// AddRepository creates a repository with default setup not configured, attached to its
// organization's default code security configuration for its visibility, if it has one. Adding
// one that exists replaces it, forgetting its configuration.
func (e *Emulator) AddRepository(r Repository) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.lastRepoID++
	st := &repoState{
		id:        e.lastRepoID,
		repo:      r.clone(),
		createdAt: e.now().UTC().Truncate(time.Second),
		setup:     notConfigured(),
	}
	e.repos[repoKey(r.Owner, r.Name)] = st
	e.attachNewRepositoryDefault(st, e.now())
}

// DeleteRepository removes a repository; requests for it, and for its runs, then get 404.
func (e *Emulator) DeleteRepository(owner, name string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.repos, repoKey(owner, name))
}

// UpdateRepository changes a repository's settings, e.g. turning Advanced Security off or
// archiving it mid-test. Changing Owner or Name renames it. mutate runs without the emulator's
// lock, so it may call the emulator. Unknown repositories are ignored.
func (e *Emulator) UpdateRepository(owner, name string, mutate func(*Repository)) {
	e.mu.Lock()
	st := e.repos[repoKey(owner, name)]
	if st == nil {
		e.mu.Unlock()
		return
	}
	r := st.repo.clone()
	e.mu.Unlock()

	mutate(&r)

	e.mu.Lock()
	defer e.mu.Unlock()
	if e.repos[repoKey(owner, name)] != st {
		return // deleted or replaced meanwhile
	}
	delete(e.repos, repoKey(owner, name))
	st.repo = r.clone()
	e.repos[repoKey(r.Owner, r.Name)] = st
}

// repoFor returns the repository a request's path names, or nil. Callers hold the lock.
func (e *Emulator) repoFor(r *http.Request) *repoState {
	return e.repos[repoKey(r.PathValue("owner"), r.PathValue("repo"))]
}

// codeScanningRepo returns the repository a code scanning request names, or the answer GitHub
// gives when there is none or code scanning may not be used on it. Callers hold the lock.
func (e *Emulator) codeScanningRepo(r *http.Request, docsURL string) (*repoState, answer, bool) {
	st := e.repoFor(r)
	switch {
	case st == nil:
		return nil, errorAnswer(http.StatusNotFound, msgNotFound, docsURL), false
	case !st.repo.AdvancedSecurity:
		return nil, errorAnswer(http.StatusForbidden, msgAdvancedSecurityDisabled, docsURL), false
	default:
		return st, answer{}, true
	}
}

// getRepository serves GET /repos/{owner}/{repo}, which clients use to explain a refusal
// (archived, Advanced Security off) in their own words.
func (e *Emulator) getRepository(w http.ResponseWriter, r *http.Request) {
	writeAnswer(w, e.withState(func(time.Time) answer {
		st := e.repoFor(r)
		if st == nil {
			return errorAnswer(http.StatusNotFound, msgNotFound, docsGetRepository)
		}
		apiBase, webBase := e.urlsFor(r)
		return answer{status: http.StatusOK, body: e.fullRepositoryJSON(st, apiBase, webBase)}
	}))
}
