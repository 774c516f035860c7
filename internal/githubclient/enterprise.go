package githubclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// What GitHub Enterprise Server lacks of what the client uses, from GitHub's descriptions of
// each release (@octokit/openapi 23.0.2; internal/emulator/testdata):
//   - the CodeQL database endpoints: no release up to 3.19 has them, and the server answers 404
//     as for any path it does not serve, which would read as a repository it cannot show;
//   - an alert PATCH's create_request: 3.19 has it, 3.17 and 3.18 do not, and their body schema
//     allows unknown fields, so the server would ignore it and dismiss the alert outright instead
//     of asking for a review. The client must know the release before it sends one.

// ServerFeature is something GitHub Enterprise Server may lack.
type ServerFeature string

const (
	FeatureCodeQLDatabases   ServerFeature = "CodeQL database API"
	FeatureDismissalRequests ServerFeature = "alert dismissal requests (create_request)"
)

// dismissalRequestsSince is the first GHES release whose alert PATCH takes create_request.
var dismissalRequestsSince = enterpriseRelease{3, 19}

// UnavailableError is an operation the server does not have. The request was not sent (the
// client knew it was GitHub Enterprise Server), or the server's 404 showed it.
type UnavailableError struct {
	Op         string
	Repository Repository
	Feature    ServerFeature
	// ServerVersion is the release the server said it runs; "" when only the base URL showed it
	// to be GitHub Enterprise Server.
	ServerVersion string
	// Since is the first release that has the feature; "" when no release has it.
	Since string
	// Method and URL are the request the server answered 404; "" when nothing was sent.
	Method, URL string
}

func (e *UnavailableError) Error() string {
	where := e.Op
	if e.Repository.Name != "" {
		where += " of " + e.Repository.String()
	}
	server := "GitHub Enterprise Server"
	if e.ServerVersion != "" {
		server += " " + e.ServerVersion
	}
	called := " (not sent)"
	if e.URL != "" {
		called = " (" + e.Method + " " + e.URL + " answered 404)"
	}
	if e.Since == "" {
		return fmt.Sprintf("%s: %s has no %s: no GitHub Enterprise Server release up to 3.19 has it; github.com and GHE.com do%s", where, server, e.Feature, called)
	}
	return fmt.Sprintf("%s: %s has no %s: GitHub Enterprise Server has it from %s%s", where, server, e.Feature, e.Since, called)
}

// enterpriseRelease is a GHES release as major and minor numbers.
type enterpriseRelease struct{ major, minor int }

func (r enterpriseRelease) String() string { return fmt.Sprintf("%d.%d", r.major, r.minor) }

// parseRelease reads "3.17.2" as 3.17; false for anything else.
func parseRelease(v string) (enterpriseRelease, bool) {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return enterpriseRelease{}, false
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	return enterpriseRelease{major, minor}, err1 == nil && err2 == nil
}

// releaseBefore reports whether version is a release older than r; a version the client cannot
// read is taken to be recent, so it never blocks a request on a guess.
func releaseBefore(version string, r enterpriseRelease) bool {
	v, ok := parseRelease(version)
	return ok && (v.major < r.major || (v.major == r.major && v.minor < r.minor))
}

// serverRelease remembers what the API host said it runs: its X-GitHub-Enterprise-Version
// header, which GHES sends on every answer and github.com never does.
type serverRelease struct {
	mu      sync.Mutex
	seen    bool // an answer came from the API host
	version string
}

func (s *serverRelease) record(h http.Header) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen = true
	if v := h.Get("X-GitHub-Enterprise-Version"); v != "" {
		s.version = v
	}
}

func (s *serverRelease) get() (version string, seen bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version, s.seen
}

// releaseRecorder notes the release of every answer from the API host.
type releaseRecorder struct {
	next    http.RoundTripper
	release *serverRelease
}

func (t *releaseRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err == nil {
		t.release.record(resp.Header)
	}
	return resp, err
}

// ServerVersion is the GitHub Enterprise Server release the API host said it runs ("3.17.2"),
// or "" for github.com and before the first answer.
func (c *Client) ServerVersion() string {
	v, _ := c.release.get()
	return v
}

// refuseOnEnterprise is the error for feature, which no GHES release has, once the server has
// said which release it runs; nil otherwise. Before that, even with a GHES base URL, the client
// asks: the server's 404 names its release, which the error then gives (one request per client).
func (c *Client) refuseOnEnterprise(op string, repo Repository, feature ServerFeature) error {
	v := c.ServerVersion()
	if v == "" {
		return nil
	}
	return &UnavailableError{Op: op, Repository: repo, Feature: feature, ServerVersion: v}
}

// unavailableOnEnterprise turns GHES's 404 for an endpoint no release has (the server said it
// is GHES, or the base URL did) into *UnavailableError; other errors pass unchanged.
func (c *Client) unavailableOnEnterprise(err error, feature ServerFeature) error {
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound || (apiErr.ServerVersion == "" && !c.enterprise) {
		return err
	}
	return &UnavailableError{Op: apiErr.Op, Repository: apiErr.Repository, Feature: feature, ServerVersion: apiErr.ServerVersion,
		Method: apiErr.Method, URL: apiErr.URL}
}

// checkDismissalRequests refuses create_request on a release without it. A request is sent only
// once the release is known: before the client's first answer it reads the alert, one GET, as a
// release that ignored the field would dismiss the alert outright.
func (c *Client) checkDismissalRequests(ctx context.Context, op string, repo Repository, number int) error {
	if _, seen := c.release.get(); !seen {
		if _, err := c.GetAlert(ctx, repo, number); err != nil {
			return err
		}
	}
	return c.knownWithoutDismissalRequests(op, repo)
}

// KnownWithoutDismissalRequests is the *UnavailableError for create_request when the server has
// already said it runs a GHES release without dismissal requests; nil when it has them or has
// not yet answered. It sends nothing, so a plan can ask it.
func (c *Client) KnownWithoutDismissalRequests() error {
	return c.knownWithoutDismissalRequests("request an alert dismissal", Repository{})
}

func (c *Client) knownWithoutDismissalRequests(op string, repo Repository) error {
	if v := c.ServerVersion(); v != "" && releaseBefore(v, dismissalRequestsSince) {
		return &UnavailableError{Op: op, Repository: repo, Feature: FeatureDismissalRequests,
			ServerVersion: v, Since: dismissalRequestsSince.String()}
	}
	return nil
}
