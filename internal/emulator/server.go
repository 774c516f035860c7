package emulator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// routes maps each served operation to its handler. Anything else is GitHub's JSON 404, never
// net/http's plain-text one, so a client bug that builds a wrong URL fails the way it would on
// GitHub.
func (e *Emulator) routes() *http.ServeMux {
	p := e.cfg.PathPrefix
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+p+"/repos/{owner}/{repo}", e.getRepository)
	mux.HandleFunc("GET "+p+"/repos/{owner}/{repo}/code-scanning/default-setup", e.getDefaultSetup)
	mux.HandleFunc("PATCH "+p+"/repos/{owner}/{repo}/code-scanning/default-setup", e.patchDefaultSetup)
	mux.HandleFunc("GET "+p+"/repos/{owner}/{repo}/actions/runs/{run_id}", e.getRun)
	mux.HandleFunc("GET "+p+"/orgs/{org}/code-scanning/alerts", e.listOrgAlerts)
	mux.HandleFunc("GET "+p+"/repos/{owner}/{repo}/code-scanning/alerts", e.listRepoAlerts)
	mux.HandleFunc("GET "+p+"/repos/{owner}/{repo}/code-scanning/alerts/{alert_number}", e.getAlert)
	mux.HandleFunc("PATCH "+p+"/repos/{owner}/{repo}/code-scanning/alerts/{alert_number}", e.patchAlert)
	mux.HandleFunc("GET "+p+"/repos/{owner}/{repo}/code-scanning/alerts/{alert_number}/instances",
		e.listAlertInstances)
	mux.HandleFunc("GET "+p+"/repos/{owner}/{repo}/code-scanning/analyses", e.listAnalyses)
	mux.HandleFunc("GET "+p+"/repos/{owner}/{repo}/code-scanning/analyses/{analysis_id}", e.getAnalysis)
	if !e.isEnterprise() { // no GHES release has them (ghes.go)
		mux.HandleFunc("GET "+p+"/repos/{owner}/{repo}/code-scanning/codeql/databases", e.listCodeQLDatabases)
		mux.HandleFunc("GET "+p+"/repos/{owner}/{repo}/code-scanning/codeql/databases/{language}", e.getCodeQLDatabase)
	}
	mux.HandleFunc("POST "+p+"/repos/{owner}/{repo}/code-scanning/sarifs", e.postSarif)
	mux.HandleFunc("GET "+p+"/repos/{owner}/{repo}/code-scanning/sarifs/{sarif_id}", e.getSarif)
	mux.HandleFunc("GET "+p+"/orgs/{org}/code-security/configurations", e.listConfigurations)
	mux.HandleFunc("POST "+p+"/orgs/{org}/code-security/configurations", e.createConfiguration)
	mux.HandleFunc("GET "+p+"/orgs/{org}/code-security/configurations/defaults", e.listConfigurationDefaults)
	mux.HandleFunc("DELETE "+p+"/orgs/{org}/code-security/configurations/detach", e.detachConfigurations)
	mux.HandleFunc("GET "+p+"/orgs/{org}/code-security/configurations/{configuration_id}", e.getConfiguration)
	mux.HandleFunc("PATCH "+p+"/orgs/{org}/code-security/configurations/{configuration_id}", e.patchConfiguration)
	mux.HandleFunc("DELETE "+p+"/orgs/{org}/code-security/configurations/{configuration_id}", e.deleteConfiguration)
	mux.HandleFunc("POST "+p+"/orgs/{org}/code-security/configurations/{configuration_id}/attach", e.attachConfiguration)
	mux.HandleFunc("PUT "+p+"/orgs/{org}/code-security/configurations/{configuration_id}/defaults", e.setConfigurationDefault)
	mux.HandleFunc("GET "+p+"/orgs/{org}/code-security/configurations/{configuration_id}/repositories",
		e.listConfigurationRepositories)
	mux.HandleFunc("GET "+p+"/repos/{owner}/{repo}/code-security-configuration", e.getRepositoryConfiguration)
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeAnswer(w, errorAnswer(http.StatusNotFound, msgNotFound, docsREST))
	})
	return mux
}

// Handler serves the emulated API under Config.PathPrefix. Every request passes, in order,
// through recording, the network's secondary limits and latency, the Intercept hook, GitHub's
// headers, the network's faults, App token requests (which carry a JWT), the network's primary
// rate limits, authentication and the token's permissions (permissions.go), the network's
// ETags, and routing in the flavour of the emulated server (ghes.go).
func (e *Emulator) Handler() http.Handler {
	n := e.network
	authenticated := n.RateLimits(e.authorizing(n.ETags(http.HandlerFunc(e.serveFlavoured))))
	reached := e.githubHeaders(n.Faults(e.servingAppTokens(authenticated)))
	return e.recording(n.SecondaryLimits(n.Latency(e.intercepting(reached))))
}

// recording records every request, body included, before anything can answer it.
func (e *Emulator) recording(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			writeAnswer(w, errorAnswer(http.StatusBadRequest, msgProblemsParsingJSON, docsREST))
			return
		}
		e.record(r, body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// intercepting gives the Intercept hook its turn; the request goes on with its body whole.
func (e *Emulator) intercepting(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body) // recording has read it into memory already
		r.Body = io.NopCloser(bytes.NewReader(body))
		if hook := e.interceptHook(); hook != nil && hook(w, r) {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// githubHeaders sets the headers every answer of GitHub's carries, the request id among them,
// which a secondary-limit fault's message quotes.
func (e *Emulator) githubHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		e.setEnterpriseHeader(h)
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("X-GitHub-Media-Type", "github.v3; format=json")
		h.Set("X-GitHub-Request-Id", e.nextRequestID())
		// GitHub's clock, which a client measures x-ratelimit-reset against when its own
		// disagrees (the standard library would put the wall clock's).
		h.Set("Date", e.clock().UTC().Format(http.TimeFormat))
		next.ServeHTTP(w, r)
	})
}

// servingAppTokens serves GitHub App token requests, which authenticate with the App's JWT rather
// than a token and are not counted against a token's rate limit.
func (e *Emulator) servingAppTokens(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !e.serveAppToken(w, r) {
			next.ServeHTTP(w, r)
		}
	})
}

// authorizing refuses a token GitHub would not accept (401) or one without the permission the
// operation needs.
func (e *Emulator) authorizing(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := tokenFrom(r.Header)
		if authErr := e.authenticate(token); authErr != "" {
			writeAnswer(w, errorAnswer(http.StatusUnauthorized, authErr, docsREST))
			return
		}
		if refusal, refused := e.authorize(token, r); refused {
			writeAnswer(w, refusal)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// nextRequestID numbers requests in the shape of GitHub's x-github-request-id, which users quote
// to GitHub Support and clients log.
func (e *Emulator) nextRequestID() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.lastReqID++
	return fmt.Sprintf("E0E0:0000:000000:%06X:%08X", e.lastReqID, e.now().Unix()&0xFFFFFFFF)
}

// SetBaseURL sets the URL clients reach the API at (with the path prefix, e.g.
// "http://127.0.0.1:8080/api-v3/"). Answers build run_url, url and html_url from it. Until it is
// set, they are built from each request's Host header.
func (e *Emulator) SetBaseURL(u string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.baseURL = strings.TrimSuffix(u, "/") + "/"
}

// urlsFor returns the API base (ending in "/") and the web base (the server root, as on GitHub
// Enterprise Server where the web UI is at https://HOST/ and the API at https://HOST/api/v3/).
// Callers hold the lock.
func (e *Emulator) urlsFor(r *http.Request) (apiBase, webBase string) {
	apiBase = e.baseURL
	if apiBase == "" {
		apiBase = "http://" + r.Host + e.cfg.PathPrefix + "/"
	}
	u, err := url.Parse(apiBase)
	if err != nil {
		return apiBase, apiBase
	}
	return apiBase, u.Scheme + "://" + u.Host + "/"
}

// Serve listens on addr ("" means 127.0.0.1 on a free port) and serves the emulator until stop is
// called. It refuses addresses other than loopback: the emulator accepts any token and must not
// be reachable from the network.
func (e *Emulator) Serve(addr string) (baseURL string, stop func(context.Context) error, err error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", nil, fmt.Errorf("emulator address %q: %w", addr, err)
	}
	if !isLoopbackHost(host) {
		return "", nil, fmt.Errorf("emulator address %q: only loopback addresses are allowed", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: e.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = ln.Close()
		}
	}()
	baseURL = "http://" + ln.Addr().String() + e.cfg.PathPrefix + "/"
	e.SetBaseURL(baseURL)
	return baseURL, srv.Shutdown, nil
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
