package githubclient

import (
	"context"
	"net/http"
)

// RepositoryVisible reports whether GitHub shows the repository to this client's credential
// (GET /repos/{owner}/{repo} answers 200). GitHub answers 404 alike for a repository that is gone
// and for one the credential may not see, so false means either; a 404 from an endpoint below a
// repository that is visible is about that endpoint (or its permission), not the repository.
func (c *Client) RepositoryVisible(ctx context.Context, repo Repository) (bool, error) {
	req, err := c.newRequest(http.MethodGet, repo.path(""), nil)
	if err != nil {
		return false, err
	}
	err = c.do(ctx, "read repository", repo, req, nil)
	switch {
	case err == nil:
		return true, nil
	case IsNotFound(err):
		return false, nil
	}
	return false, err
}
