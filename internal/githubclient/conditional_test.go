package githubclient

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
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
	if n := emu.NotModifiedCount(); n != 3 {
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
	emu, base := newFaultyEmulator(t, emulator.Config{RunQueued: 40 * time.Millisecond, RunInProgress: 40 * time.Millisecond})
	c, _ := transportClient(t, base, nil)
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
	if n := emu.NotModifiedCount(); n < polls-3 || polls < 5 {
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
	if n := emu.NotModifiedCount(); n != 1 {
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

func TestCacheDirCarriesThePointsBudgetToTheNextClient(t *testing.T) {
	t.Parallel()
	_, base := newFaultyEmulator(t, emulator.Config{})
	dir := filepath.Join(t.TempDir(), "cache")
	ctx := context.Background()
	withBudget := func(cfg *Config) { cfg.CacheDir, cfg.PointsPerMinute = dir, 100 }

	first, _ := transportClient(t, base, withBudget)
	for range 3 {
		if _, err := first.GetDefaultSetup(ctx, service); err != nil {
			t.Fatal(err)
		}
	}
	next, _ := transportClient(t, base, withBudget)
	points := 0
	for _, s := range next.limits.points.spent {
		points += s.points
	}
	if points != 3 {
		t.Fatalf("the next client starts its minute with %d points; want the first client's 3 reads", points)
	}
}
