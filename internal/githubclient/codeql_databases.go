package githubclient

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// CodeQLDatabase is the metadata of a CodeQL database GitHub keeps for a repository, one per
// language. The client's own type: go-github's lacks commit_oid.
type CodeQLDatabase struct {
	ID          int64      `json:"id"`
	Name        string     `json:"name"`
	Language    string     `json:"language"`
	Uploader    User       `json:"uploader"`
	ContentType string     `json:"content_type"`
	Size        int64      `json:"size"`
	CreatedAt   *time.Time `json:"created_at"`
	UpdatedAt   *time.Time `json:"updated_at"`
	URL         string     `json:"url"`
	// CommitOID is the commit the database was built from; GitHub may not know it.
	CommitOID *string `json:"commit_oid"`
}

// ListCodeQLDatabases reads the CodeQL databases of a repository. GitHub answers the whole list
// at once: there is at most one database per language.
func (c *Client) ListCodeQLDatabases(ctx context.Context, repo Repository) ([]CodeQLDatabase, error) {
	req, err := c.newRequest(http.MethodGet, repo.path("/code-scanning/codeql/databases"), nil)
	if err != nil {
		return nil, err
	}
	databases := []CodeQLDatabase{}
	if err := c.do(ctx, "list CodeQL databases", repo, req, &databases); err != nil {
		return nil, err
	}
	return databases, nil
}

// GetCodeQLDatabase reads the metadata of a repository's CodeQL database for language. GitHub
// answers 404 both for a repository it cannot show and for a language it has no database for.
func (c *Client) GetCodeQLDatabase(ctx context.Context, repo Repository, language string) (*CodeQLDatabase, error) {
	req, err := c.newRequest(http.MethodGet, repo.path("/code-scanning/codeql/databases/"+url.PathEscape(language)), nil)
	if err != nil {
		return nil, err
	}
	var db CodeQLDatabase
	if err := c.do(ctx, "read the "+language+" CodeQL database", repo, req, &db); err != nil {
		return nil, err
	}
	return &db, nil
}
