package githubclient

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/google/go-github/v62/github"
	"golang.org/x/oauth2"

	"github.com/codescanning/terraform-provider-codescanning/internal/clock"
	"github.com/codescanning/terraform-provider-codescanning/internal/transport"
	"github.com/codescanning/terraform-provider-codescanning/internal/wait"
)

// DefaultAPIVersion is the REST API version every request asks for.
const DefaultAPIVersion = "2022-11-28"

// Config is what a Client is built from.
type Config struct {
	BaseURL    string // as the user wrote it; resolved by ResolveBaseURL
	UserAgent  string // e.g. "terraform-provider-codescanning/1.2.3"
	APIVersion string // X-GitHub-Api-Version; DefaultAPIVersion when empty

	// The credential: Token, or else App. Either is added to requests for the API host only.
	Token string
	App   *AppCredentials

	// Transport carries the requests; http.DefaultTransport when nil. Retries, rate-limit
	// waits, the conditional-request cache and the credential are added on top of it, for the
	// API host only.
	Transport http.RoundTripper

	// Retry says how failed and rate-limited requests are retried; see RetryPolicy.
	Retry RetryPolicy
	// MaxConcurrency caps the requests in flight at once; DefaultMaxConcurrency when 0.
	MaxConcurrency int
	// WriteDelay is the least time between the starts of two mutating requests; 0 sends them
	// as they come. The provider sets DefaultWriteDelay unless told otherwise.
	WriteDelay time.Duration
	// PointsPerMinute caps the secondary-rate-limit points (GET 1, other methods 5) the client
	// spends in any minute; 0 sets no cap. The provider sets DefaultPointsPerMinute unless told
	// otherwise.
	PointsPerMinute int
	// CacheDir keeps the conditional-request cache on disk, across runs; memory only when "".
	CacheDir string
	// AllowInsecureHTTP lets an http:// BaseURL name a host other than loopback; the
	// credential then crosses the network unencrypted (see CheckTransportSecurity).
	AllowInsecureHTTP bool

	// RunBackoff paces polls of a default-setup run; ConflictBackoff paces retries of a PATCH that
	// GitHub refused with 409 because another run was under way. wait.DefaultBackoff when zero.
	RunBackoff      wait.Backoff
	ConflictBackoff wait.Backoff

	// Log receives what the client does, with structured fields; nil discards it. Warn receives
	// what a user should know of, waits for a rate limit above all; Log when nil. Info receives
	// the progress of long work a person follows (a run's status as it changes); Log when nil.
	// None ever receives credentials.
	Log  func(ctx context.Context, msg string, fields map[string]any)
	Warn func(ctx context.Context, msg string, fields map[string]any)
	Info func(ctx context.Context, msg string, fields map[string]any)

	// Clock is what every wait reads and sleeps by: the transport's retries, rate limits,
	// pacing and points budget, run polls, and installation tokens' renewal; the real clock
	// when nil. Tests give a fake one, shared with the emulator, so no test waits real seconds.
	Clock clock.Clock
}

// DefaultMaxConcurrency is 10 requests in flight: as many operations as the provider's caller
// runs at once by default, so a default run is never slowed, while a caller running 100 at once
// still stays far below GitHub's hard cap of 100 concurrent requests per user, which GitHub's
// guidance asks integrators not to approach (it recommends serial requests).
const DefaultMaxConcurrency = 10

// DefaultWriteDelay is GitHub's guidance for many mutating requests: "wait at least one second
// between each request".
const DefaultWriteDelay = time.Second

// Client talks to one GitHub API host with one credential.
type Client struct {
	gh         *github.Client
	baseURL    *url.URL
	apiVersion string
	runBackoff wait.Backoff
	retry409   wait.Backoff
	retry      RetryPolicy // for the writes the client, not the transport, decides to resend
	clock      clock.Clock
	cache      *transport.Conditional
	log        func(ctx context.Context, msg string, fields map[string]any)
	warn       func(ctx context.Context, msg string, fields map[string]any)
	info       func(ctx context.Context, msg string, fields map[string]any)
	// runUnreadable makes the warning that runs cannot be read (runs.go) come once per client,
	// not once per repository of a run that changes hundreds.
	runUnreadable sync.Once
	// enterprise: the base URL is GitHub Enterprise Server's; release: what the server said.
	enterprise bool
	release    *serverRelease
}

// New builds a Client. It makes no request: an App's first installation token is fetched with
// the first request that needs it.
func New(cfg Config) (*Client, error) {
	resolved, err := ResolveBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if err := CheckTransportSecurity(resolved, cfg.AllowInsecureHTTP); err != nil {
		return nil, err
	}
	base, err := url.Parse(resolved)
	if err != nil {
		return nil, err
	}
	log := cfg.Log
	if log == nil {
		log = func(context.Context, string, map[string]any) {}
	}
	warn := cfg.Warn
	if warn == nil {
		warn = log
	}
	info := cfg.Info
	if info == nil {
		info = log
	}
	bare := cfg.Transport
	if bare == nil {
		bare = http.DefaultTransport
	}
	policy := cfg.Retry.WithDefaults()
	clk := clock.Or(cfg.Clock)

	var credential oauth2.TokenSource
	var identity string
	switch {
	case cfg.Token != "":
		credential, identity = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: cfg.Token, TokenType: "Bearer"}), transport.Identity("token", cfg.Token)
	case cfg.App != nil:
		tokens, err := newInstallationTokens(*cfg.App, base, bare, policy, clk, warn)
		if err != nil {
			return nil, err
		}
		credential, identity = tokens, cfg.App.cacheIdentity(base.Host)
	default:
		return nil, fmt.Errorf("no GitHub credentials: give a token or a GitHub App installation")
	}

	maxConcurrency := cfg.MaxConcurrency
	if maxConcurrency <= 0 {
		maxConcurrency = DefaultMaxConcurrency
	}
	cache, err := transport.NewConditional(transport.NewAuth(credential, bare, log), identity, cfg.CacheDir, log)
	if err != nil {
		return nil, err
	}
	limits := transport.NewLimiter(maxConcurrency, cfg.WriteDelay, cfg.PointsPerMinute)
	if err := limits.OpenPointsLedger(cfg.CacheDir, base.Host, identity, clk.Now()); err != nil {
		return nil, err
	}
	api := &transport.Retry{
		Next:        cache,
		Limits:      limits,
		Policy:      policy,
		APIPath:     base.Path,
		Resendable:  safeToResend,
		AnswerLimit: answerLimit,
		Warn:        warn,
		Clock:       clk,
	}
	release := &serverRelease{}
	gh := github.NewClient(&http.Client{Transport: &transport.APIHostOnly{Scheme: base.Scheme, Host: base.Host,
		API: &releaseRecorder{next: api, release: release}, Elsewhere: bare}, CheckRedirect: transport.SameHostRedirects(base)})
	gh.BaseURL = base
	gh.UserAgent = cfg.UserAgent
	c := &Client{
		gh:         gh,
		baseURL:    base,
		apiVersion: cfg.APIVersion,
		runBackoff: cfg.RunBackoff,
		retry409:   cfg.ConflictBackoff,
		retry:      policy,
		clock:      clk,
		cache:      cache,
		log:        log,
		warn:       warn,
		info:       info,
		enterprise: IsEnterpriseServer(base.String()),
		release:    release,
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
	return c, nil
}

// CacheStats counts the conditional-request cache's work so far: GETs GitHub answered 304 (and
// that did not count against the rate limit), and 200s stored.
func (c *Client) CacheStats() (revalidated, stored int) { return c.cache.Stats() }

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
		return asAPIError(op, repo, req, resp, err)
	}
	return nil
}

// send builds the request for method and path (below the API root) with body (nil: none),
// sends it and decodes a 2xx JSON answer into v (nil: discarded): one operation's whole
// exchange, for operations that need nothing of the answer but its body.
func (c *Client) send(ctx context.Context, op string, repo Repository, method, path string, body, v any) error {
	req, err := c.newRequest(method, path, body)
	if err != nil {
		return err
	}
	return c.do(ctx, op, repo, req, v)
}

// get reads path into a new T.
func get[T any](ctx context.Context, c *Client, op string, repo Repository, path string) (*T, error) {
	var v T
	if err := c.send(ctx, op, repo, http.MethodGet, path, nil, &v); err != nil {
		return nil, err
	}
	return &v, nil
}
