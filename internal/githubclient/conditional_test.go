package githubclient

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/wait"
)

func TestRepeatedReadsAreRevalidatedAndNotCharged(t *testing.T) {
	t.Parallel()
	emu, base := newFaultyEmulator(t, emulator.Config{})
	c, _ := transportClient(t, base, nil)
	ctx := context.Background()
	first, err := c.GetDefaultSetup(ctx, service)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		again, err := c.GetDefaultSetup(ctx, service)
		if err != nil {
			t.Fatalf("a revalidated read failed: %v; go-github must see the cached 200, not the 304", err)
		}
		if again.State != first.State || again.QuerySuite != first.QuerySuite {
			t.Fatalf("revalidated read %+v differs from the first %+v", again, first)
		}
	}
	reqs := emu.Requests()
	if reqs[0].Header.Get("If-None-Match") != "" || reqs[1].Header.Get("If-None-Match") == "" {
		t.Fatalf("If-None-Match: first %q, second %q; want none, then the ETag", reqs[0].Header.Get("If-None-Match"), reqs[1].Header.Get("If-None-Match"))
	}
	if n := emu.Network().NotModifiedCount(); n != 3 {
		t.Fatalf("%d answers were 304; want 3", n)
	}
	if revalidated, stored := c.CacheStats(); revalidated != 3 || stored != 1 {
		t.Fatalf("cache stats: %d revalidated, %d stored; want 3 and 1", revalidated, stored)
	}
	// The rate limit counted only the first read: a fresh request spends the second.
	resp, err := http.DefaultClient.Do(authedGet(t, base+"repos/octo-org/service/code-scanning/default-setup", "secret-token"))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if used := resp.Header.Get("X-RateLimit-Used"); used != "2" {
		t.Fatalf("x-ratelimit-used = %s after one charged read, three 304s and this one; want 2", used)
	}
}

func authedGet(t *testing.T, url, token string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	return req
}

func TestAChangedResourceIsReadAfresh(t *testing.T) {
	t.Parallel()
	emu, base := newFaultyEmulator(t, emulator.Config{})
	c, _ := transportClient(t, base, nil)
	ctx := context.Background()
	if _, err := c.GetDefaultSetup(ctx, service); err != nil {
		t.Fatal(err)
	}
	emu.SetDefaultSetup("octo-org", "service", emulator.DefaultSetup{State: StateConfigured, Languages: []string{"go"}})
	ds, err := c.GetDefaultSetup(ctx, service)
	if err != nil || ds.State != StateConfigured {
		t.Fatalf("GetDefaultSetup = %+v, %v; want the change, not the cached answer", ds, err)
	}
}

func TestRunPollsAreMostlyNotCharged(t *testing.T) {
	t.Parallel()
	// Phases of a minute of a fake clock the emulator shares, polled every 10s of it: six polls
	// each however slowly a busy machine answers (phases of 100 real milliseconds polled every
	// few had as few as 2 polls in all, at six busy loops on 2 cores).
	cfg := emulator.Config{RunQueued: time.Minute, RunInProgress: time.Minute}
	_, onClock := sharedFakeClock(&cfg)
	emu, base := newFaultyEmulator(t, cfg)
	c, _ := transportClient(t, base, func(cfg *Config) {
		onClock(cfg)
		cfg.RunBackoff = wait.Backoff{Initial: 10 * time.Second, Max: 10 * time.Second, Factor: 1}
	})
	ctx := context.Background()
	run, err := c.UpdateDefaultSetup(ctx, service, DefaultSetupUpdate{State: StateConfigured})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitForRun(ctx, service, *run); err != nil {
		t.Fatal(err)
	}
	polls := countRequests(emu, http.MethodGet)
	// A run changes twice (queued, in progress, completed); every other poll is a 304.
	if n := emu.Network().NotModifiedCount(); n < polls-3 || polls < 5 {
		t.Fatalf("%d polls, %d of them 304; want all but the changes answered 304", polls, n)
	}
}

func TestCacheDirOutlivesTheClientAndKeepsTokensApart(t *testing.T) {
	t.Parallel()
	emu, base := newFaultyEmulator(t, emulator.Config{})
	dir := filepath.Join(t.TempDir(), "cache")
	ctx := context.Background()
	withDir := func(token string) func(*Config) {
		return func(cfg *Config) { cfg.CacheDir, cfg.Token = dir, token }
	}

	first, _ := transportClient(t, base, withDir("secret-token"))
	if _, err := first.GetDefaultSetup(ctx, service); err != nil {
		t.Fatal(err)
	}
	next, _ := transportClient(t, base, withDir("secret-token"))
	if _, err := next.GetDefaultSetup(ctx, service); err != nil {
		t.Fatal(err)
	}
	if n := emu.Network().NotModifiedCount(); n != 1 {
		t.Fatalf("a new client with the same token and cache_dir got %d 304s; want its first read revalidated", n)
	}
	other, _ := transportClient(t, base, withDir("another-token"))
	if _, err := other.GetDefaultSetup(ctx, service); err != nil {
		t.Fatal(err)
	}
	last := emu.Requests()[len(emu.Requests())-1]
	if last.Header.Get("If-None-Match") != "" {
		t.Fatal("a client with another token sent an ETag it could only have had from the first token's entries")
	}

	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 2 {
		t.Fatalf("cache_dir holds %d entries (%v); want one per token", len(entries), err)
	}
	if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o700 {
		t.Fatalf("cache_dir mode %v (%v); want 0700", info.Mode().Perm(), err)
	}
	for _, e := range entries {
		raw, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		info, _ := e.Info()
		if info.Mode().Perm() != 0o600 {
			t.Fatalf("%s has mode %v; want 0600", e.Name(), info.Mode().Perm())
		}
		for _, secret := range []string{"secret-token", "another-token", "Bearer"} {
			if strings.Contains(e.Name(), secret) || strings.Contains(string(raw), secret) {
				t.Fatalf("cache entry %s holds %q", e.Name(), secret)
			}
		}
	}
}

// cacheEntryFile is the one entry a client wrote in dir.
func cacheEntryFile(t *testing.T, dir string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 1 {
		t.Fatalf("cache_dir entries: %v; want one", files)
	}
	return files[0]
}

// A cache_dir entry altered or cut short on disk is dropped, and the read is sent without
// If-None-Match: GitHub would otherwise answer 304 to its ETag for as long as nothing changes,
// and the bad body would fail every read, or show a state GitHub never held.
func TestDamagedCacheEntryIsDroppedAndReadAfresh(t *testing.T) {
	t.Parallel()
	for name, damage := range map[string]func(body string) string{
		"altered":   func(body string) string { return strings.Replace(body, StateNotConfigured, StateConfigured, 1) },
		"truncated": func(body string) string { return body[:len(body)/2] },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			emu, base := newFaultyEmulator(t, emulator.Config{})
			dir := t.TempDir()
			withDir := func(cfg *Config) { cfg.CacheDir = dir }
			first, _ := transportClient(t, base, withDir)
			if _, err := first.GetDefaultSetup(context.Background(), service); err != nil {
				t.Fatal(err)
			}
			file := cacheEntryFile(t, dir)
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var entry map[string]any
			if err := json.Unmarshal(raw, &entry); err != nil {
				t.Fatal(err)
			}
			body64, _ := entry["body"].(string)
			body, err := base64.StdEncoding.DecodeString(body64)
			if err != nil {
				t.Fatal(err)
			}
			entry["body"] = base64.StdEncoding.EncodeToString([]byte(damage(string(body))))
			raw, _ = json.Marshal(entry)
			if err := os.WriteFile(file, raw, 0o600); err != nil {
				t.Fatal(err)
			}

			next, _ := transportClient(t, base, withDir)
			ds, err := next.GetDefaultSetup(context.Background(), service)
			if err != nil || ds.State != StateNotConfigured {
				t.Fatalf("GetDefaultSetup = %+v, %v; want GitHub's not-configured, not the damaged entry", ds, err)
			}
			if last := emu.Requests()[len(emu.Requests())-1]; last.Header.Get("If-None-Match") != "" {
				t.Fatal("the read revalidated the damaged entry's ETag; want it sent afresh")
			}
			// GitHub's 200 took the damaged entry's place: a third client revalidates it.
			third, _ := transportClient(t, base, withDir)
			if _, err := third.GetDefaultSetup(context.Background(), service); err != nil || emu.Network().NotModifiedCount() != 1 {
				t.Fatalf("third read: %v, %d answers 304; want the fresh entry revalidated", err, emu.Network().NotModifiedCount())
			}
		})
	}
}

// A 304 that names another ETag than the entry's proves the entry is not what GitHub means:
// the read is sent again without If-None-Match.
func TestNotModifiedForAnotherETagIsReadAfresh(t *testing.T) {
	t.Parallel()
	emu, base := newFaultyEmulator(t, emulator.Config{})
	c, _ := transportClient(t, base, nil)
	if _, err := c.GetDefaultSetup(context.Background(), service); err != nil {
		t.Fatal(err)
	}
	emu.SetDefaultSetup("octo-org", "service", emulator.DefaultSetup{State: StateConfigured, Languages: []string{"go"}})
	var stale atomic.Bool
	emu.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Header.Get("If-None-Match") != "" && !stale.Swap(true) {
			w.Header().Set("ETag", `W/"another-version"`)
			w.WriteHeader(http.StatusNotModified)
			return true
		}
		return false
	})
	ds, err := c.GetDefaultSetup(context.Background(), service)
	if err != nil || ds.State != StateConfigured {
		t.Fatalf("GetDefaultSetup = %+v, %v; want GitHub's configured, not the entry the 304 did not match", ds, err)
	}
	if last := emu.Requests()[len(emu.Requests())-1]; last.Header.Get("If-None-Match") != "" {
		t.Fatal("the read after the mismatched 304 sent an ETag again")
	}
}

// An answer whose JSON does not decode is never kept, so no 304 can replay it.
func TestUndecodableAnswerIsNotCached(t *testing.T) {
	t.Parallel()
	emu, base := newFaultyEmulator(t, emulator.Config{})
	var broken atomic.Bool
	broken.Store(true)
	emu.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		if broken.Load() {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Header().Set("ETag", `W/"broken"`)
			_, _ = w.Write([]byte(`{"state":"config`))
			return true
		}
		return false
	})
	c, _ := transportClient(t, base, nil)
	if _, err := c.GetDefaultSetup(context.Background(), service); err == nil {
		t.Fatal("a truncated answer decoded")
	}
	broken.Store(false)
	if _, err := c.GetDefaultSetup(context.Background(), service); err != nil {
		t.Fatal(err)
	}
	if reqs := emu.Requests(); reqs[len(reqs)-1].Header.Get("If-None-Match") != "" {
		t.Fatal("the truncated answer was cached: the next read sent its ETag")
	}
}

// Entries are keyed by Accept too: an analysis read as JSON and as SARIF (one URL, two media
// types) keeps two entries, each revalidated, so neither read evicts the other or is answered
// with the other's body. A cache keyed by URL alone (bored-engineer's, DESIGN.md "Transport:
// libraries considered") would send each read the other's ETag and never get a 304.
func TestOneURLReadAsJSONAndAsSARIFKeepsTwoEntries(t *testing.T) {
	t.Parallel()
	emu, base := newFaultyEmulator(t, emulator.Config{})
	c, _ := transportClient(t, base, nil)
	id := seedAnalyses(t, emu, 1)[0].ID
	ctx := context.Background()
	for range 2 {
		a, err := c.GetAnalysis(ctx, service, id)
		if err != nil || a.ID != id {
			t.Fatalf("GetAnalysis = %+v, %v; want analysis %d", a, err, id)
		}
		sarif, err := c.GetAnalysisSARIF(ctx, service, id)
		var log struct {
			Version string `json:"version"`
		}
		if err != nil || json.Unmarshal(sarif, &log) != nil || log.Version != "2.1.0" {
			t.Fatalf("GetAnalysisSARIF = %.80s, %v; want a SARIF 2.1.0 log", sarif, err)
		}
	}
	if n := emu.Network().NotModifiedCount(); n != 2 {
		t.Fatalf("%d answers were 304; want the second JSON and the second SARIF read", n)
	}
	if revalidated, stored := c.CacheStats(); revalidated != 2 || stored != 2 {
		t.Fatalf("cache stats: %d revalidated, %d stored; want 2 and 2", revalidated, stored)
	}
}
