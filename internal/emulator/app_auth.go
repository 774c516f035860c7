package emulator

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// App is a GitHub App the emulator knows: it mints installation tokens at
// POST /app/installations/{installation_id}/access_tokens for a request that carries a JWT the
// App signed (RS256, verified against PublicKey), and accepts those tokens until they expire.
// The JWT is checked here with the standard library alone, apart from the client's own JWT
// library, so a shared mistake cannot hide.
type App struct {
	// ID is the JWT issuer accepted: the App's ID or its client ID.
	ID            string
	PublicKey     *rsa.PublicKey
	Installations []int64
	// TokenLifetime is how long a minted token is valid; GitHub's hour when 0. Tests make it
	// seconds to cross an expiry.
	TokenLifetime time.Duration
	// Permissions are the repository permissions the App was granted, e.g. {"actions": "read",
	// "administration": "write"}; its tokens are refused what they lack (permissions.go). Nil
	// grants everything the provider's documentation asks for.
	Permissions map[string]string
}

// installationToken is a token the emulator minted: when it expires, and what it may do.
type installationToken struct {
	expiry      time.Time
	permissions map[string]string
}

// installationTokenJSON is GitHub's answer to a token request.
type installationTokenJSON struct {
	Token               string            `json:"token"`
	ExpiresAt           string            `json:"expires_at"`
	Permissions         map[string]string `json:"permissions"`
	RepositorySelection string            `json:"repository_selection"`
}

// GitHub's words for refused JWTs.
const (
	msgJWTUndecodable           = "A JSON web token could not be decoded"
	msgJWTExpired               = "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
	msgJWTTooLong               = "'Expiration time' claim ('exp') is too far in the future"
	msgJWTIssuedLater           = "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"
	msgIntegrationNone          = "Integration not found"
	docsCreateInstallationToken = "https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app"
)

// serveAppToken answers a token request if r is one, and reports whether it was. Token
// requests authenticate with the App's JWT, not a token, so they are served before the
// emulator's token check, and GitHub counts them apart from the token's rate limit.
func (e *Emulator) serveAppToken(w http.ResponseWriter, r *http.Request) bool {
	rest, ok := strings.CutPrefix(r.URL.Path, e.cfg.PathPrefix+"/app/installations/")
	if !ok || r.Method != http.MethodPost {
		return false
	}
	idText, ok := strings.CutSuffix(rest, "/access_tokens")
	if !ok || strings.Contains(idText, "/") {
		return false
	}
	app := e.cfg.App
	if app == nil {
		writeAnswer(w, errorAnswer(http.StatusUnauthorized, msgIntegrationNone, docsCreateInstallationToken))
		return true
	}
	if msg := app.verifyJWT(tokenFrom(r.Header), e.now()); msg != "" {
		writeAnswer(w, errorAnswer(http.StatusUnauthorized, msg, docsCreateInstallationToken))
		return true
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || !slices.Contains(app.Installations, id) {
		writeAnswer(w, errorAnswer(http.StatusNotFound, msgNotFound, docsCreateInstallationToken))
		return true
	}
	lifetime := app.TokenLifetime
	if lifetime <= 0 {
		lifetime = time.Hour
	}
	var secret [20]byte
	_, _ = rand.Read(secret[:])
	token := "ghs_" + hex.EncodeToString(secret[:])
	perms := maps.Clone(app.Permissions)
	if perms == nil {
		perms = fullAppPermissions()
	}
	perms[permMetadata] = permRead // every App has it
	e.mu.Lock()
	expiry := e.now().Add(lifetime)
	e.appTokens[token] = installationToken{expiry: expiry, permissions: perms}
	e.appTokensIssued++
	e.mu.Unlock()
	// expires_at counts whole seconds; rounding down means a client never believes a token
	// valid for longer than it is.
	writeAnswer(w, answer{status: http.StatusCreated, body: installationTokenJSON{
		Token:               token,
		ExpiresAt:           githubTime(expiry.Truncate(time.Second)),
		Permissions:         perms,
		RepositorySelection: "all",
	}})
	return true
}

// installationToken reports whether token is one the emulator minted, and if so whether it
// has expired.
func (e *Emulator) installationToken(token string) (known, expired bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	minted, known := e.appTokens[token]
	return known, known && !e.now().Before(minted.expiry)
}

// installationPermissions returns the permissions of a token the emulator minted, and whether
// it minted it.
func (e *Emulator) installationPermissions(token string) (map[string]string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	minted, known := e.appTokens[token]
	return minted.permissions, known
}

// AppTokensIssued is how many installation tokens the emulator has minted.
func (e *Emulator) AppTokensIssued() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.appTokensIssued
}

// verifyJWT checks a JWT as GitHub does for an App: RS256, signed with the App's key, issued
// by the App, issued no later than now (a minute's drift allowed), expiring in the future but
// at most ten minutes after it was issued. It returns GitHub's message for the first problem,
// or "".
func (app *App) verifyJWT(token string, now time.Time) string {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return msgJWTUndecodable
	}
	var header struct {
		Alg string `json:"alg"`
	}
	var claims struct {
		Iss json.RawMessage `json:"iss"`
		Iat *int64          `json:"iat"`
		Exp *int64          `json:"exp"`
	}
	if decodeJWTPart(parts[0], &header) != nil || decodeJWTPart(parts[1], &claims) != nil || header.Alg != "RS256" {
		return msgJWTUndecodable
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || app.PublicKey == nil {
		return msgJWTUndecodable
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(app.PublicKey, crypto.SHA256, digest[:], sig) != nil {
		return msgJWTUndecodable
	}
	issuer := strings.Trim(string(claims.Iss), `"`)
	if issuer != app.ID {
		return msgIntegrationNone
	}
	switch {
	case claims.Iat == nil || time.Unix(*claims.Iat, 0).After(now.Add(time.Minute)):
		return msgJWTIssuedLater
	case claims.Exp == nil || !time.Unix(*claims.Exp, 0).After(now):
		return msgJWTExpired
	case time.Unix(*claims.Exp, 0).Sub(time.Unix(*claims.Iat, 0)) > 10*time.Minute+time.Minute:
		return msgJWTTooLong
	}
	return ""
}

func decodeJWTPart(part string, v any) error {
	raw, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		return fmt.Errorf("not base64url: %w", err)
	}
	return json.Unmarshal(raw, v)
}
