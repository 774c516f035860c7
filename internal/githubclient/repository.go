package githubclient

import (
	"fmt"
	"regexp"
	"strings"
)

// Repository names a GitHub repository.
type Repository struct {
	Owner string
	Name  string
}

func (r Repository) String() string { return r.Owner + "/" + r.Name }

// path is the repository's REST path below the API root, without a leading slash, so that
// go-github resolves it against a base URL that has a path of its own (GHES, a proxy).
func (r Repository) path(suffix string) string {
	return "repos/" + r.Owner + "/" + r.Name + suffix
}

// GitHub allows letters, digits, '-', '_' and '.' in repository names, and letters, digits and
// single hyphens in owner names; checking that here keeps a typo from becoming a 404 later.
var (
	ownerPattern = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$`)
	namePattern  = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)
)

// ParseRepository reads "owner/name", or "name" when defaultOwner is set.
func ParseRepository(s, defaultOwner string) (Repository, error) {
	owner, name, found := strings.Cut(s, "/")
	if !found {
		if defaultOwner == "" {
			return Repository{}, fmt.Errorf("%q has no owner: write \"owner/%s\", or set the provider's owner (or GITHUB_OWNER)", s, s)
		}
		owner, name = defaultOwner, s
	}
	if !ownerPattern.MatchString(owner) {
		return Repository{}, fmt.Errorf("%q is not a valid owner in %q: use letters, digits and hyphens", owner, s)
	}
	if !namePattern.MatchString(name) || name == "." || name == ".." {
		return Repository{}, fmt.Errorf("%q is not a valid repository name in %q: use letters, digits, '.', '-' and '_'", name, s)
	}
	return Repository{Owner: owner, Name: name}, nil
}
