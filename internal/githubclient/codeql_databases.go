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
// GitHub Enterprise Server has no CodeQL database API: once it has named its release, the client
// does not ask; before, its 404 is an *UnavailableError.
func (c *Client) ListCodeQLDatabases(ctx context.Context, repo Repository) ([]CodeQLDatabase, error) {
	const op = "list CodeQL databases"
	if err := c.refuseOnEnterprise(op, repo, FeatureCodeQLDatabases); err != nil {
		return nil, err
	}
	databases := []CodeQLDatabase{}
	if err := c.send(ctx, op, repo, http.MethodGet, repo.path("/code-scanning/codeql/databases"), nil, &databases); err != nil {
		return nil, c.unavailableOnEnterprise(err, FeatureCodeQLDatabases)
	}
	return databases, nil
}

// GetCodeQLDatabase reads the metadata of a repository's CodeQL database for language. GitHub
// answers 404 both for a repository it cannot show and for a language it has no database for.
// GitHub Enterprise Server answers 404 too, having no such endpoint: that 404 is an
// *UnavailableError, not a missing database.
func (c *Client) GetCodeQLDatabase(ctx context.Context, repo Repository, language string) (*CodeQLDatabase, error) {
	op := "read the " + language + " CodeQL database"
	if err := c.refuseOnEnterprise(op, repo, FeatureCodeQLDatabases); err != nil {
		return nil, err
	}
	db, err := get[CodeQLDatabase](ctx, c, op, repo, repo.path("/code-scanning/codeql/databases/"+url.PathEscape(language)))
	if err != nil {
		return nil, c.unavailableOnEnterprise(err, FeatureCodeQLDatabases)
	}
	return db, nil
}
