package githubclient

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/go-github/v62/github"
	"golang.org/x/oauth2"

	"github.com/codescanning/terraform-provider-codescanning/internal/wait"
)

// DefaultAPIVersion is the REST API version every request asks for.
const DefaultAPIVersion = "2022-11-28"

// Config is what a Client is built from.
type Config struct {
	BaseURL    string // as the user wrote it; resolved by ResolveBaseURL
	Token      string
	UserAgent  string // e.g. "terraform-provider-codescanning/1.2.3"
	APIVersion string // X-GitHub-Api-Version; DefaultAPIVersion when empty

	// Transport carries the requests; http.DefaultTransport when nil. The token is added on top
	// of it, for the API host only.
	Transport http.RoundTripper

	// RunBackoff paces polls of a default-setup run; ConflictBackoff paces retries of a PATCH that
	// GitHub refused with 409 because another run was under way. wait.DefaultBackoff when zero.
	RunBackoff      wait.Backoff
	ConflictBackoff wait.Backoff

	// Log receives what the client does, with structured fields; nil discards it. It never
	// receives credentials.
	Log func(ctx context.Context, msg string, fields map[string]any)
}

// Client talks to one GitHub API host with one credential.
type Client struct {
	gh         *github.Client
	baseURL    *url.URL
	apiVersion string
	runBackoff wait.Backoff
	retry409   wait.Backoff
	log        func(ctx context.Context, msg string, fields map[string]any)
}

// New builds a Client. It makes no request.
func New(cfg Config) (*Client, error) {
	resolved, err := ResolveBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	base, err := url.Parse(resolved)
	if err != nil {
		return nil, err
	}
	if cfg.Token == "" {
		return nil, fmt.Errorf("no GitHub token: set the provider's token, or GITHUB_TOKEN or GH_TOKEN")
	}
	transport := cfg.Transport
	if transport == nil {
		transport = http.DefaultTransport
	}
	httpClient := &http.Client{Transport: &apiHostOnlyAuth{
		host:   base.Host,
		authed: &oauth2.Transport{Source: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: cfg.Token}), Base: transport},
		plain:  transport,
	}}
	gh := github.NewClient(httpClient)
	gh.BaseURL = base
	gh.UserAgent = cfg.UserAgent
	c := &Client{
		gh:         gh,
		baseURL:    base,
		apiVersion: cfg.APIVersion,
		runBackoff: cfg.RunBackoff,
		retry409:   cfg.ConflictBackoff,
		log:        cfg.Log,
	}
	if c.apiVersion == "" {
		c.apiVersion = DefaultAPIVersion
	}
	if c.runBackoff == (wait.Backoff{}) {
		c.runBackoff = wait.DefaultBackoff
	}
	if c.retry409 == (wait.Backoff{}) {
		c.retry409 = wait.DefaultBackoff
	}
	if c.log == nil {
		c.log = func(context.Context, string, map[string]any) {}
	}
	return c, nil
}

// BaseURL is the resolved REST API root the client talks to.
func (c *Client) BaseURL() string { return c.baseURL.String() }

// newRequest builds a request for a path below the API root, with the API version header.
func (c *Client) newRequest(method, path string, body any) (*http.Request, error) {
	return c.gh.NewRequest(method, path, body, github.WithVersion(c.apiVersion))
}

// do sends req and decodes a 2xx JSON answer into v. Errors come back as *APIError.
func (c *Client) do(ctx context.Context, op string, repo Repository, req *http.Request, v any) error {
	resp, err := c.gh.Do(ctx, req, v)
	if err != nil {
		return asAPIError(op, repo, resp, err)
	}
	return nil
}

// apiHostOnlyAuth adds the credential only to requests for the API host, so that a URL GitHub
// hands back (a run_url, a pagination link) can never carry the token elsewhere.
type apiHostOnlyAuth struct {
	host   string
	authed http.RoundTripper
	plain  http.RoundTripper
}

func (t *apiHostOnlyAuth) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.EqualFold(req.URL.Host, t.host) {
		return t.authed.RoundTrip(req)
	}
	return t.plain.RoundTrip(req)
}
