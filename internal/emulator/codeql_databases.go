package emulator

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"time"
)

// CodeQLDatabase is a CodeQL database GitHub keeps for a repository, one per language, as
// default setup and the CodeQL action upload them.
type CodeQLDatabase struct {
	ID                   int64
	Name, Language       string
	Uploader             string // a login
	ContentType          string
	Size                 int64
	CreatedAt, UpdatedAt time.Time
	CommitOID            *string
}

// AddCodeQLDatabase adds a repository's database for db.Language, replacing any it had for that
// language. Empty fields are filled as GitHub would have them: numbered, named "database.zip",
// uploaded by octocat now as a zip of a few megabytes built from the default branch's commit.
// Unknown repositories are ignored.
func (e *Emulator) AddCodeQLDatabase(owner, name string, db CodeQLDatabase) {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := e.repos[repoKey(owner, name)]
	if st == nil || db.Language == "" {
		return
	}
	if db.ID == 0 {
		e.lastDatabaseID++
		db.ID = e.lastDatabaseID
	}
	e.lastDatabaseID = max(e.lastDatabaseID, db.ID)
	db.Name = cmp.Or(db.Name, "database.zip")
	db.Uploader = cmp.Or(db.Uploader, defaultLogin)
	db.ContentType = cmp.Or(db.ContentType, "application/zip")
	db.Size = cmp.Or(db.Size, 4_194_304)
	if db.CreatedAt.IsZero() {
		db.CreatedAt = e.now()
	}
	db.CreatedAt = db.CreatedAt.UTC().Truncate(time.Second)
	if db.UpdatedAt.IsZero() {
		db.UpdatedAt = db.CreatedAt
	}
	db.UpdatedAt = db.UpdatedAt.UTC().Truncate(time.Second)
	if db.CommitOID == nil {
		db.CommitOID = ptr(fakeSHA("commit:"+defaultBranchRef, st.repo))
	}
	if st.databases == nil {
		st.databases = map[string]*CodeQLDatabase{}
	}
	st.databases[strings.ToLower(db.Language)] = &db
}

// codeQLDatabaseJSON is GitHub's "CodeQL Database". Callers hold the lock.
func (e *Emulator) codeQLDatabaseJSON(st *repoState, db *CodeQLDatabase, apiBase, webBase string) map[string]any {
	return map[string]any{
		"id":           db.ID,
		"name":         db.Name,
		"language":     db.Language,
		"uploader":     e.simpleUserJSON(db.Uploader, apiBase, webBase),
		"content_type": db.ContentType,
		"size":         db.Size,
		"created_at":   githubTime(db.CreatedAt),
		"updated_at":   githubTime(db.UpdatedAt),
		"url":          apiBase + "repos/" + repoPath(st.repo) + "/code-scanning/codeql/databases/" + db.Language,
		"commit_oid":   db.CommitOID,
	}
}

// listCodeQLDatabases serves GET /repos/{owner}/{repo}/code-scanning/codeql/databases, in
// language order.
func (e *Emulator) listCodeQLDatabases(w http.ResponseWriter, r *http.Request) {
	writeAnswer(w, e.withState(func(time.Time) answer {
		st, refusal, ok := e.codeScanningRepo(r, docsListDatabases)
		if !ok {
			return refusal
		}
		languages := make([]string, 0, len(st.databases))
		for l := range st.databases {
			languages = append(languages, l)
		}
		slices.Sort(languages)
		apiBase, webBase := e.urlsFor(r)
		out := make([]map[string]any, len(languages))
		for i, l := range languages {
			out[i] = e.codeQLDatabaseJSON(st, st.databases[l], apiBase, webBase)
		}
		return answer{status: http.StatusOK, body: out}
	}))
}

// getCodeQLDatabase serves GET .../code-scanning/codeql/databases/{language}: the database's
// metadata, or 404 for a language the repository has none for. (GitHub redirects a request for
// application/zip to the content; the emulator keeps no content and always answers metadata.)
func (e *Emulator) getCodeQLDatabase(w http.ResponseWriter, r *http.Request) {
	writeAnswer(w, e.withState(func(time.Time) answer {
		st, refusal, ok := e.codeScanningRepo(r, docsGetDatabase)
		if !ok {
			return refusal
		}
		db := st.databases[strings.ToLower(r.PathValue("language"))]
		if db == nil {
			return errorAnswer(http.StatusNotFound, msgNotFound, docsGetDatabase)
		}
		apiBase, webBase := e.urlsFor(r)
		return answer{status: http.StatusOK, body: e.codeQLDatabaseJSON(st, db, apiBase, webBase)}
	}))
}
