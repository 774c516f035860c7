package emulator

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

var appKey = sync.OnceValue(func() *rsa.PrivateKey {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return key
})

// signJWT makes an RS256 JWT with the given claims.
func signJWT(t *testing.T, key *rsa.PrivateKey, alg string, claims map[string]any) string {
	t.Helper()
	enc := func(v any) string {
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(raw)
	}
	signing := enc(map[string]string{"alg": alg, "typ": "JWT"}) + "." + enc(claims)
	digest := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	return signing + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func TestAppInstallationTokens(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{
		Tokens: []string{testToken},
		App:    &App{ID: "42", PublicKey: &appKey().PublicKey, Installations: []int64{7}, TokenLifetime: time.Minute},
	}, scanned("app"))
	clock := a.useFakeClock()
	now := clock.Now().Unix()
	good := map[string]any{"iss": "42", "iat": now - 60, "exp": now + 540}
	post := func(installation, jwt string) (int, map[string]any) {
		resp, body, err := rawDo(t, "POST", a.base+"app/installations/"+installation+"/access_tokens", "", map[string]string{"Authorization": "Bearer " + jwt})
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		_ = json.Unmarshal(body, &m)
		return resp.StatusCode, m
	}

	status, tok := post("7", signJWT(t, appKey(), "RS256", good))
	token, _ := tok["token"].(string)
	if status != http.StatusCreated || !strings.HasPrefix(token, "ghs_") || tok["expires_at"] != githubTime(clock.Now().Add(time.Minute)) {
		t.Fatalf("token request: %d %v", status, tok)
	}
	get := func() int {
		return a.doWith("GET", a.base+"repos/octo-org/app", "", map[string]string{"Authorization": "Bearer " + token}).status
	}
	if got := get(); got != http.StatusOK {
		t.Fatalf("the minted token was refused: %d", got)
	}
	clock.Advance(time.Minute)
	if got := get(); got != http.StatusUnauthorized {
		t.Fatalf("an expired token was accepted: %d", got)
	}

	other, _ := rsa.GenerateKey(rand.Reader, 1024)
	for name, tc := range map[string]struct {
		installation, jwt string
		status            int
		message           string
	}{
		"another key":       {"7", signJWT(t, other, "RS256", good), 401, msgJWTUndecodable},
		"not RS256":         {"7", signJWT(t, appKey(), "HS256", good), 401, msgJWTUndecodable},
		"another App":       {"7", signJWT(t, appKey(), "RS256", map[string]any{"iss": "43", "iat": now - 60, "exp": now + 540}), 401, msgIntegrationNone},
		"expired":           {"7", signJWT(t, appKey(), "RS256", map[string]any{"iss": "42", "iat": now - 700, "exp": now - 100}), 401, msgJWTExpired},
		"too long":          {"7", signJWT(t, appKey(), "RS256", map[string]any{"iss": "42", "iat": now, "exp": now + 3600}), 401, msgJWTTooLong},
		"unknown install":   {"8", signJWT(t, appKey(), "RS256", good), 404, msgNotFound},
		"a token, not JWT":  {"7", testToken, 401, msgJWTUndecodable},
		"numeric issuer ok": {"7", signJWT(t, appKey(), "RS256", map[string]any{"iss": 42, "iat": now - 60, "exp": now + 540}), 201, ""},
	} {
		status, body := post(tc.installation, tc.jwt)
		if status != tc.status || (tc.message != "" && body["message"] != tc.message) {
			t.Errorf("%s: %d %v; want %d %q", name, status, body, tc.status, tc.message)
		}
	}
}
