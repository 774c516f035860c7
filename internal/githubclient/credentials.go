package githubclient

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-github/v62/github"
	"golang.org/x/oauth2"

	"github.com/codescanning/terraform-provider-codescanning/internal/clock"
	"github.com/codescanning/terraform-provider-codescanning/internal/transport"
)

// A client authenticates with one credential: a token (a personal access token, an OAuth or
// gh token, an installation token someone else minted), or a GitHub App installation whose
// tokens the client mints and renews itself.
//
// Why not bradleyfalzon/ghinstallation. It would do the App part, and does handle a GHES base
// URL, but its current release pulls in a second go-github major version (v88) and golang-jwt
// v4 beside the provider's v62, renews tokens a fixed minute before expiry (tests could not
// cross an expiry quickly), and fetches tokens with its own HTTP request beside go-github. The
// App part here is small: a JWT signed with golang-jwt/jwt/v5 (the maintained JWT library),
// and go-github's own Apps.CreateInstallationToken, sent through the same retrying transport
// and the same API-host-only rule as every other request.

// AppCredentials is a GitHub App installation to authenticate as.
type AppCredentials struct {
	// AppID is the App's ID or its client ID: GitHub accepts either as the JWT's issuer.
	AppID          string
	InstallationID int64
	PrivateKey     []byte // PEM, PKCS #1 or PKCS #8
	// RefreshBefore is how long before an installation token expires the client fetches the
	// next one; DefaultAppTokenRefreshBefore when zero.
	RefreshBefore time.Duration
}

// DefaultAppTokenRefreshBefore renews an installation token (valid for an hour) five minutes
// early, so that a request in flight, or one waiting out a rate limit, never carries an expired
// token.
const DefaultAppTokenRefreshBefore = 5 * time.Minute

// CredentialError is a credential the client could not obtain. It never holds the credential.
type CredentialError = transport.CredentialError

// Credentials are golang.org/x/oauth2 token sources: a token is an oauth2.StaticTokenSource, an
// App installation an oauth2.TokenSource that mints tokens, reused until RefreshBefore their
// expiry by renewingTokens (oauth2.ReuseTokenSourceWithExpiry by the client's clock). transport.NewAuth puts the current token on each
// request; transport.APIHostOnly, in front of all of it, alone decides which requests get one.

// mintTimeout bounds the request that mints an installation token: oauth2.TokenSource gives no
// context to stop it by, and a request waiting for a token holds its own context anyway.
const mintTimeout = time.Minute

// installationTokens mints installation tokens for a GitHub App. It is wrapped in a reusing
// source, so it is asked only when the current token is about to expire.
type installationTokens struct {
	app    AppCredentials
	key    *rsa.PrivateKey
	gh     *github.Client // authenticates with the App's JWT, on the API host only
	source string
	clock  clock.Clock // dates the JWTs
}

// newInstallationTokens checks the App's settings and builds the token source, whose minting
// client goes over the same transport as the API client (less the cache and the request cap, so
// a request holding a slot can always get its token).
func newInstallationTokens(app AppCredentials, apiBase *url.URL, base http.RoundTripper, policy RetryPolicy, clk clock.Clock, warn transport.LogFunc) (oauth2.TokenSource, error) {
	source := fmt.Sprintf("GitHub App %s, installation %d", app.AppID, app.InstallationID)
	if strings.TrimSpace(app.AppID) == "" || app.InstallationID <= 0 {
		return nil, &CredentialError{Source: source, Err: errors.New("the App's ID and a positive installation ID are both required")}
	}
	key, err := ParseAppPrivateKey(app.PrivateKey)
	if err != nil {
		return nil, &CredentialError{Source: source, Err: err}
	}
	if app.RefreshBefore <= 0 {
		app.RefreshBefore = DefaultAppTokenRefreshBefore
	}
	s := &installationTokens{app: app, key: key, source: source, clock: clk}
	jwtTransport := &transport.Retry{
		Next:       transport.NewAuth(appJWT{s}, base, nil),
		Limits:     transport.NewLimiter(0, 0, 0),
		Policy:     policy,
		APIPath:    apiBase.Path,
		Resendable: safeToResend,
		Warn:       warn,
		Clock:      clk,
	}
	s.gh = github.NewClient(&http.Client{Transport: &transport.APIHostOnly{Scheme: apiBase.Scheme, Host: apiBase.Host, API: jwtTransport, Elsewhere: base},
		CheckRedirect: transport.SameHostRedirects(apiBase)})
	s.gh.BaseURL = apiBase
	return &renewingTokens{source: s, early: app.RefreshBefore, clock: clk}, nil
}

// renewingTokens reuses source's token until early before its expiry, then asks source for the
// next, as oauth2.ReuseTokenSourceWithExpiry does; it reads expiry by the client's clock, which
// oauth2's, fixed to the wall clock, cannot, so that a test crosses an hour-long token's expiry
// without waiting for it. A token without an expiry is reused for good; a failure to mint is
// not kept, so the next request asks again.
type renewingTokens struct {
	source oauth2.TokenSource
	early  time.Duration
	clock  clock.Clock

	mu      sync.Mutex
	current *oauth2.Token
}

func (r *renewingTokens) Token() (*oauth2.Token, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if t := r.current; t != nil && t.AccessToken != "" && (t.Expiry.IsZero() || !t.Expiry.Add(-r.early).Before(r.clock.Now())) {
		return t, nil
	}
	t, err := r.source.Token()
	if err != nil {
		return nil, err
	}
	r.current = t
	return t, nil
}

// Token mints a new installation token.
func (s *installationTokens) Token() (*oauth2.Token, error) {
	ctx, cancel := context.WithTimeout(context.Background(), mintTimeout)
	defer cancel()
	tok, _, err := s.gh.Apps.CreateInstallationToken(ctx, s.app.InstallationID, nil)
	if err != nil {
		return nil, &CredentialError{Source: s.source, Err: err}
	}
	if tok.GetToken() == "" || tok.ExpiresAt == nil {
		return nil, &CredentialError{Source: s.source, Err: errors.New("GitHub's answer has no token or no expiry")}
	}
	return &oauth2.Token{AccessToken: tok.GetToken(), TokenType: "Bearer", Expiry: tok.GetExpiresAt().Time}, nil
}

// appJWT signs the short-lived JWT that authenticates the App itself, for minting tokens only.
// A new one is signed for each mint: they are rare, and a JWT never outlives its use.
type appJWT struct{ s *installationTokens }

func (j appJWT) Token() (*oauth2.Token, error) {
	now := j.s.clock.Now()
	expiry := now.Add(9 * time.Minute)
	claims := jwt.RegisteredClaims{
		Issuer: j.s.app.AppID,
		// GitHub's guidance: back-date by a minute against clock drift; at most ten minutes long.
		IssuedAt:  jwt.NewNumericDate(now.Add(-time.Minute)),
		ExpiresAt: jwt.NewNumericDate(expiry),
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(j.s.key)
	if err != nil {
		return nil, &CredentialError{Source: j.s.source, Err: fmt.Errorf("signing the App's JWT: %w", err)}
	}
	return &oauth2.Token{AccessToken: signed, TokenType: "Bearer", Expiry: expiry}, nil
}

// cacheIdentity says who the App's requests are made as: the installation, whichever of its
// tokens is current, so cached answers outlive a token's renewal.
func (app AppCredentials) cacheIdentity(apiHost string) string {
	return transport.Identity("app", apiHost, app.AppID, strconv.FormatInt(app.InstallationID, 10))
}
