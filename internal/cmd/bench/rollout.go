package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// `bench rollout`: turning default setup on for N repositories of an organization, two ways,
// through the client the provider uses with the provider's default transport (write_delay 1s,
// points_per_minute 800, max_concurrency 10) against the embedded GitHub with a set latency:
//
//   - configuration: one code security configuration that enables default setup, made the
//     default for new repositories, attached to the organization (scope all) in one request,
//     waited for by polling its repository list;
//
//   - per-repository (-per-repository): one default setup PATCH per repository, ten at a time,
//     as codescanning_default_setup's apply with wait_for_run = false sends them.
//
//   - terraform (-terraform): codescanning_security_configuration and its attachment with
//     scope all, applied and then refreshed through the CLI with a built provider.
//
// It prints wall time, requests by method, writes, secondary-limit points (GET 1, other 5) and
// the emulator's secondary-limit trips, then checks that every repository, and one created
// afterwards, has default setup configured. The per-repository resource's apply through the CLI
// is `bench default-setups` (BENCHMARKS.md).
func benchRollout(args []string) {
	flags := flag.NewFlagSet("bench rollout", flag.ExitOnError)
	n := flags.Int("n", 1000, "repositories in the organization")
	latency := flags.Duration("latency", 25*time.Millisecond, "latency the emulator adds to every answer")
	attachTime := flags.Duration("attach-time", 10*time.Second, "how long GitHub's attachment job takes to reach the repositories")
	writeDelay := flags.Duration("write-delay", githubclient.DefaultWriteDelay, "the client's write_delay")
	perRepository := flags.Bool("per-repository", false, "also roll out with one PATCH per repository (N x write-delay: 17 minutes for 1,000)")
	throughTerraform := flags.Bool("terraform", false, "also apply and refresh the configuration and its attachment through the CLI, with a built provider")
	provider := addProviderFlags(flags)
	_ = flags.Parse(args)
	if *n < 1 {
		fail(fmt.Errorf("-n %d: want at least 1", *n))
	}
	var results []rolloutResult
	r, err := rolloutThroughConfiguration(*n, *latency, *attachTime, *writeDelay)
	if err != nil {
		fail(err)
	}
	results = append(results, r)
	if *throughTerraform {
		providerPath, removeBuild, err := provider.resolve()
		if err != nil {
			fail(err)
		}
		rs, err := rolloutThroughTerraform(providerPath, *n, *latency, *attachTime, *writeDelay)
		removeBuild()
		if err != nil {
			fail(err)
		}
		results = append(results, rs...)
	}
	if *perRepository {
		r, err := rolloutPerRepository(*n, *latency, *writeDelay)
		if err != nil {
			fail(err)
		}
		results = append(results, r)
	}
	printRollout(results)
}

// rolloutResult is what one way of rolling out cost.
type rolloutResult struct {
	way            string
	n              int
	wall           time.Duration
	byMethod       map[string]int
	points         int
	secondaryTrips int
	covered        int // repositories with default setup configured at the end
	newCovered     bool
}

// rolloutEmulator is an organization of n repositories behind a loopback server, and a client
// with the provider's default transport.
func rolloutEmulator(n int, latency, attachTime, writeDelay time.Duration) (*emulator.Emulator, *githubclient.Client, func(), error) {
	emu := emulator.New(emulator.Config{
		PathPrefix: "/api-v3", Latency: latency, AttachmentDelay: attachTime,
		RunQueued: 50 * time.Millisecond, RunInProgress: 150 * time.Millisecond,
		RateLimit: 1_000_000, // the bench measures the cost, not the refusal
	})
	for i := range n {
		emu.AddRepository(emulator.Repository{Owner: owner, Name: fmt.Sprintf("repo-%04d", i), AdvancedSecurity: true, Languages: []string{"go", "python"}})
	}
	baseURL, stop, err := emu.Serve("127.0.0.1:0")
	if err != nil {
		return nil, nil, nil, err
	}
	c, err := githubclient.New(githubclient.Config{BaseURL: baseURL, Token: "bench-token", UserAgent: "codescanning-bench",
		WriteDelay: writeDelay, PointsPerMinute: 800, MaxConcurrency: githubclient.DefaultMaxConcurrency})
	if err != nil {
		_ = stop(context.Background())
		return nil, nil, nil, err
	}
	return emu, c, func() { _ = stop(context.Background()) }, nil
}

func rolloutThroughConfiguration(n int, latency, attachTime, writeDelay time.Duration) (rolloutResult, error) {
	emu, c, stop, err := rolloutEmulator(n, latency, attachTime, writeDelay)
	if err != nil {
		return rolloutResult{}, err
	}
	defer stop()
	ctx := context.Background()
	fmt.Fprintf(os.Stderr, "bench: N=%d through one configuration ...\n", n)
	start := time.Now()
	trips := emu.Network().SecondaryLimitTrips()
	cfg, err := c.CreateSecurityConfiguration(ctx, owner, githubclient.SecurityConfigurationSettings{
		Name: "default setup everywhere", CodeScanningDefaultSetup: "enabled", Enforcement: "unenforced"})
	if err != nil {
		return rolloutResult{}, err
	}
	if err := c.SetDefaultSecurityConfiguration(ctx, owner, cfg.ID, githubclient.DefaultForAll); err != nil {
		return rolloutResult{}, err
	}
	if err := c.AttachSecurityConfiguration(ctx, owner, cfg.ID, githubclient.ScopeAll, nil); err != nil {
		return rolloutResult{}, err
	}
	if _, err := c.WaitForAttachment(ctx, owner, cfg.ID, nil); err != nil {
		return rolloutResult{}, err
	}
	r := measured(emu, "one configuration, one attachment", n, time.Since(start), trips)
	// A repository created afterwards is covered by the default, with no request of the client's.
	emu.AddRepository(emulator.Repository{Owner: owner, Name: "created-later", AdvancedSecurity: true, Languages: []string{"go"}})
	time.Sleep(attachTime)
	ds, _ := emu.DefaultSetup(owner, "created-later")
	r.newCovered = ds.State == "configured"
	return r, nil
}

// rolloutThroughTerraform applies a configuration and its attachment (scope all) through the
// CLI, then refreshes them, each command measured on its own.
func rolloutThroughTerraform(providerPath string, n int, latency, attachTime, writeDelay time.Duration) ([]rolloutResult, error) {
	emu := emulator.New(emulator.Config{PathPrefix: "/api-v3", Latency: latency, AttachmentDelay: attachTime, RateLimit: 1_000_000})
	for i := range n {
		emu.AddRepository(emulator.Repository{Owner: owner, Name: fmt.Sprintf("repo-%04d", i), AdvancedSecurity: true, Languages: []string{"go", "python"}})
	}
	run, closeRun, err := startBench(emu, "codescanning-bench-rollout-")
	if err != nil {
		return nil, err
	}
	defer closeRun()
	config := fmt.Sprintf(`terraform {
  required_providers {
    codescanning = { source = "codescanning/codescanning" }
  }
}

provider "codescanning" {
  base_url    = %q
  owner       = %q
  write_delay = %q
  cache_dir   = %q
}

resource "codescanning_security_configuration" "everywhere" {
  organization                = %q
  name                        = "default setup everywhere"
  code_scanning_default_setup = "enabled"
  enforcement                 = "unenforced"
  default_for_new_repos       = "all"
}

resource "codescanning_security_configuration_attachment" "all" {
  organization     = %q
  configuration_id = codescanning_security_configuration.everywhere.configuration_id
  scope            = "all"
}
`, run.baseURL, owner, writeDelay.String(), filepath.Join(run.dir, "cache"), owner, owner)
	ws, err := newWorkspace(run.cli, run.dir, providerPath, map[string]string{"main.tf": config})
	if err != nil {
		return nil, err
	}
	var results []rolloutResult
	for i, step := range []struct {
		op   string
		args []string
	}{
		{"terraform apply: configuration and attachment", []string{"apply", "-auto-approve"}},
		{"terraform plan (refresh)", []string{"plan", "-detailed-exitcode"}},
	} {
		if i > 0 {
			fmt.Fprintf(os.Stderr, "bench: waiting %v for GitHub's secondary-limit minute to pass\n", secondaryWindow)
			time.Sleep(secondaryWindow)
		}
		fmt.Fprintf(os.Stderr, "bench: N=%d %s ...\n", n, step.op)
		r, err := runCLI(ws, emu, step.args...)
		if err != nil {
			return nil, err
		}
		res := rolloutResult{way: step.op, n: n, wall: r.wall, byMethod: r.byMethod, secondaryTrips: r.secondaryTrips, newCovered: true}
		for m, c := range r.byMethod {
			if m == "GET" || m == "HEAD" {
				res.points += c
			} else {
				res.points += 5 * c
			}
		}
		for j := range n {
			if ds, _ := emu.DefaultSetup(owner, fmt.Sprintf("repo-%04d", j)); ds.State == "configured" {
				res.covered++
			}
		}
		results = append(results, res)
	}
	return results, nil
}

func rolloutPerRepository(n int, latency, writeDelay time.Duration) (rolloutResult, error) {
	emu, c, stop, err := rolloutEmulator(n, latency, 0, writeDelay)
	if err != nil {
		return rolloutResult{}, err
	}
	defer stop()
	fmt.Fprintf(os.Stderr, "bench: N=%d one PATCH per repository (about %v) ...\n", n, time.Duration(n)*writeDelay)
	ctx := context.Background()
	start := time.Now()
	trips := emu.Network().SecondaryLimitTrips()
	work := make(chan int)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range 10 { // terraform's default -parallelism
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				repo := githubclient.Repository{Owner: owner, Name: fmt.Sprintf("repo-%04d", i)}
				if _, err := c.UpdateDefaultSetup(ctx, repo, githubclient.DefaultSetupUpdate{State: githubclient.StateConfigured}); err != nil {
					errs <- err
				}
			}
		}()
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return rolloutResult{}, err
	}
	time.Sleep(time.Second) // the last runs end
	return measured(emu, "one PATCH per repository", n, time.Since(start), trips), nil
}

// measured counts what the emulator saw and how many repositories ended configured.
func measured(emu *emulator.Emulator, way string, n int, wall time.Duration, tripsBefore int) rolloutResult {
	r := rolloutResult{way: way, n: n, wall: wall, byMethod: map[string]int{},
		secondaryTrips: emu.Network().SecondaryLimitTrips() - tripsBefore}
	for _, req := range emu.Requests() {
		r.byMethod[req.Method]++
		if req.Method == "GET" || req.Method == "HEAD" {
			r.points++
		} else {
			r.points += 5
		}
	}
	for i := range n {
		if ds, _ := emu.DefaultSetup(owner, fmt.Sprintf("repo-%04d", i)); ds.State == "configured" {
			r.covered++
		}
	}
	return r
}

func printRollout(results []rolloutResult) {
	w := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(w, "N\tway\twall\trequests\twrites\tby method\tsecondary points\tsecondary trips\tconfigured\tnew repository covered\n")
	for _, r := range results {
		total, writes := 0, 0
		var methods []string
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			if c := r.byMethod[m]; c > 0 {
				methods = append(methods, m+" "+strconv.Itoa(c))
			}
		}
		for m, c := range r.byMethod {
			total += c
			if m != "GET" && m != "HEAD" {
				writes += c
			}
		}
		newCovered := "-"
		if r.way == "one configuration, one attachment" {
			newCovered = strconv.FormatBool(r.newCovered)
		}
		fmt.Fprintf(w, "%d\t%s\t%v\t%d\t%d\t%s\t%d\t%d\t%d/%d\t%s\n", r.n, r.way, r.wall.Round(10*time.Millisecond), total, writes,
			strings.Join(methods, ", "), r.points, r.secondaryTrips, r.covered, r.n, newCovered)
	}
	_ = w.Flush()
}
