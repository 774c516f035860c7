package githubclient

import (
	"fmt"
	"net/url"
	"strings"
)

// DefaultBaseURL is github.com's REST API.
const DefaultBaseURL = "https://api.github.com/"

// ResolveBaseURL turns what a user writes as GitHub's address into the REST API root, ending in "/":
//   - empty: github.com;
//   - github.com or api.github.com: github.com;
//   - https://NAME.ghe.com (GHE.com data residency): https://api.NAME.ghe.com/;
//   - any other host with an empty path or "/": GitHub Enterprise Server, https://HOST/api/v3/;
//   - a URL with any other path: used as given (a proxy, or the embedded GitHub).
func ResolveBaseURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return DefaultBaseURL, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("base URL %q is not a URL: %w", raw, err)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return "", fmt.Errorf("base URL %q must start with https:// (or http:// for a local proxy)", raw)
	}
	if u.Host == "" {
		return "", fmt.Errorf("base URL %q has no host", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("base URL %q must not have a query or fragment", raw)
	}
	host := strings.ToLower(u.Hostname())
	if u.Path != "" && u.Path != "/" {
		if !strings.HasSuffix(u.Path, "/") {
			u.Path += "/"
		}
		return u.String(), nil
	}
	u.Path = "/"
	switch {
	case host == "github.com" || host == "api.github.com":
		return DefaultBaseURL, nil
	case strings.HasSuffix(host, ".ghe.com") && !strings.HasPrefix(host, "api."):
		u.Host = "api." + u.Host
		return u.String(), nil
	case strings.HasSuffix(host, ".ghe.com"):
		return u.String(), nil
	default:
		u.Path = "/api/v3/"
		return u.String(), nil
	}
}

// EnterpriseAPIVersions are the REST API versions GitHub Enterprise Server serves: GitHub's
// descriptions of every release up to 3.19 know no version after 2022-11-28 (github.com's also
// has 2026-03-10).
var EnterpriseAPIVersions = []string{DefaultAPIVersion}

// IsEnterpriseServer reports whether an API root from ResolveBaseURL is GitHub Enterprise
// Server's: it ends in /api/v3/, where GHES, and only GHES, serves its REST API.
func IsEnterpriseServer(apiRoot string) bool {
	u, err := url.Parse(apiRoot)
	return err == nil && strings.HasSuffix(u.Path, "/api/v3/")
}
