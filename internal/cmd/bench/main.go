// Command bench measures the provider at scale through the real CLI (Terraform, or OpenTofu with
// TF_CLI=tofu; see internal/tfcli), a built provider and the embedded GitHub in this process.
//
// `bench default-setups` (the default): terraform apply and plan (refresh) of N default setups
// with a set latency per request. It prints, per N and operation, wall time beside its lower
// bound (N × latency ÷ parallelism, or the pace GitHub's write guidance and secondary limit
// set, if longer), requests per resource by method, 304s, primary rate-limit cost,
// secondary-limit trips and the provider's peak memory.
//
// `bench alerts` (alerts.go): terraform plan reading a repository's N alerts through
// codescanning_alerts, repeated, with the provider process's own time, memory and CPU.
//
// `bench policy` (policy.go): codescanning_alert_dismissal_policy over a repository of N alerts
// of which M match, and optionally an organization: plan, apply, and the refresh after.
//
// `bench rollout` (rollout.go): default setup for N repositories through one code security
// configuration and one attachment, beside one PATCH per repository (-per-repository).
//
// `make bench` runs them; BENCHMARKS.md records their results.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/tfcli"
)

// GitHub's secondary rate limit: points a minute, a GET costing 1 and other requests 5.
const (
	secondaryWindow          = time.Minute + time.Second
	secondaryPointsPerMinute = 900
)

const owner = "bench-org"

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "alerts":
			benchAlerts(os.Args[2:])
			return
		case "policy":
			benchPolicy(os.Args[2:])
			return
		case "rollout":
			benchRollout(os.Args[2:])
			return
		case "default-setups":
			benchDefaultSetups(os.Args[2:])
			return
		}
	}
	benchDefaultSetups(os.Args[1:])
}

// benchDefaultSetups measures apply and refresh of N default setups.
func benchDefaultSetups(args []string) {
	flags := flag.NewFlagSet("bench default-setups", flag.ExitOnError)
	provider := addProviderFlags(flags)
	sizes := flags.String("n", "100,1000", "comma-separated numbers of default setups")
	latency := flags.Duration("latency", 25*time.Millisecond, "latency the emulator adds to every answer")
	parallelism := flags.Int("parallelism", 10, "terraform -parallelism")
	runDuration := flags.Duration("run", 200*time.Millisecond, "how long each emulated default setup run takes")
	writeDelay := flags.String("write-delay", "1s", "the provider's write_delay (its default, 1s, is GitHub's guidance)")
	_ = flags.Parse(args)
	var ns []int
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fail(fmt.Errorf("-n: %q is not a positive number", s))
		}
		ns = append(ns, n)
	}
	pace, err := time.ParseDuration(*writeDelay)
	if err != nil {
		fail(fmt.Errorf("-write-delay: %w", err))
	}
	providerPath, removeBuild, err := provider.resolve()
	if err != nil {
		fail(err)
	}
	var results []result
	for _, n := range ns {
		r, err := measure(providerPath, n, *latency, *parallelism, *runDuration, *writeDelay)
		if err != nil {
			removeBuild()
			fail(err)
		}
		results = append(results, r...)
	}
	removeBuild()
	printTable(results, *latency, *parallelism, pace)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}

// result is one measured terraform command.
type result struct {
	run
	n         int
	operation string
	isWrite   bool
	// overhead is what the same terraform command costs with no resources: terraform's start,
	// the provider's start, state handling. It does not grow with N, so the ratio to the lower
	// bound is given without it too.
	overhead time.Duration
}

func measure(providerPath string, n int, latency time.Duration, parallelism int, runDuration time.Duration, writeDelay string) ([]result, error) {
	emu := emulator.New(emulator.Config{
		PathPrefix: "/api-v3", Latency: latency,
		RunQueued: runDuration / 4, RunInProgress: runDuration - runDuration/4,
		RateLimit: 1_000_000, // the bench measures the cost, not the refusal
	})
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("repo-%04d", i)
		emu.AddRepository(emulator.Repository{Owner: owner, Name: names[i], AdvancedSecurity: true, Languages: []string{"go", "python"}})
	}
	run, closeRun, err := startBench(emu, "codescanning-bench-")
	if err != nil {
		return nil, err
	}
	defer closeRun()
	config := fmt.Sprintf(`terraform {
  required_providers {
    codescanning = { source = "codescanning/codescanning" }
  }
}

variable "wait" {
  type = bool
}

variable "query_suite" {
  type = string
}

provider "codescanning" {
  base_url    = %q
  owner       = %q
  write_delay = %q
  cache_dir   = %q
}

resource "codescanning_default_setup" "r" {
  for_each     = toset([%s])
  repository   = each.key
  query_suite  = var.query_suite
  wait_for_run = var.wait
}
`, run.baseURL, owner, writeDelay, filepath.Join(run.dir, "cache"), quoteAll(names))
	ws, err := newWorkspace(run.cli, run.dir, providerPath, map[string]string{"main.tf": config})
	if err != nil {
		return nil, err
	}
	tf := func(op string, isWrite bool, args ...string) (result, error) {
		r, err := runCLI(ws, emu, append(args, fmt.Sprintf("-parallelism=%d", parallelism))...)
		if err != nil {
			return result{}, fmt.Errorf("%d repositories, %s: %w", n, op, err)
		}
		return result{run: r, n: n, operation: op, isWrite: isWrite}, nil
	}

	overhead, err := terraformOverhead(run.cli, filepath.Join(run.dir, "empty"), providerPath, config)
	if err != nil {
		return nil, err
	}
	var results []result
	steps := []struct {
		op      string
		isWrite bool
		args    []string
	}{
		{"apply (wait_for_run = false)", true, []string{"apply", "-auto-approve", "-var", "wait=false", "-var", "query_suite=default"}},
		{"plan (refresh)", false, []string{"plan", "-detailed-exitcode", "-var", "wait=false", "-var", "query_suite=default"}},
		{"plan (refresh, repeated)", false, []string{"plan", "-detailed-exitcode", "-var", "wait=false", "-var", "query_suite=default"}},
		{"apply (wait_for_run = true)", true, []string{"apply", "-auto-approve", "-var", "wait=true", "-var", "query_suite=extended"}},
	}
	for i, s := range steps {
		if i > 0 {
			// GitHub counts secondary-limit points over the trailing minute, across processes;
			// each terraform command starts its own provider, whose budget knows nothing of the
			// previous command's. Let the minute pass so each command is measured on its own.
			fmt.Fprintf(os.Stderr, "bench: waiting %v for GitHub's secondary-limit minute to pass\n", secondaryWindow)
			time.Sleep(secondaryWindow)
		}
		fmt.Fprintf(os.Stderr, "bench: N=%d %s ...\n", n, s.op)
		r, err := tf(s.op, s.isWrite, s.args...)
		if err != nil {
			return nil, err
		}
		r.overhead = overhead
		results = append(results, r)
	}
	return results, nil
}

// terraformOverhead times `terraform plan`, in a workspace of its own in dir, of config without
// its resources: the provider and no resources.
func terraformOverhead(cli tfcli.CLI, dir, providerPath, config string) (time.Duration, error) {
	empty, _, _ := strings.Cut(config, `resource "codescanning_default_setup"`)
	ws, err := newWorkspace(cli, dir, providerPath, map[string]string{"main.tf": empty})
	if err != nil {
		return 0, err
	}
	start := time.Now()
	if code, out, err := ws.Output("plan", "-no-color", "-var", "wait=false", "-var", "query_suite=default"); code != 0 || err != nil {
		return 0, fmt.Errorf("%s plan with no resources exited %d: %v\n%s", cli.Name(), code, err, out)
	}
	return time.Since(start), nil
}

// sampleProvider records, until done, the largest resident set (VmHWM) of terraform's children
// (the provider processes; terraform runs one for the plan and another for the apply), and the
// CPU time each used: its last sample before it exits stands for its total.
func sampleProvider(terraformPID int, peak *atomic.Int64, cpu *providerCPU, done <-chan struct{}) {
	for {
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			if _, err := strconv.Atoi(e.Name()); err != nil {
				continue
			}
			ticks, parent, ok := cpuTicks(filepath.Join("/proc", e.Name(), "stat"))
			if !ok || parent != terraformPID {
				continue
			}
			cpu.record(e.Name(), ticks)
			if hwm := vmHWM(filepath.Join("/proc", e.Name(), "status")); hwm > peak.Load() {
				peak.Store(hwm)
			}
		}
		select {
		case <-done:
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// providerCPU holds the last CPU time seen for each provider process.
type providerCPU struct {
	mu    sync.Mutex
	ticks map[string]int64
}

func (c *providerCPU) record(pid string, ticks int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ticks == nil {
		c.ticks = map[string]int64{}
	}
	c.ticks[pid] = max(c.ticks[pid], ticks)
}

// total is the CPU time of every provider process seen, in the kernel's 100 Hz clock ticks.
func (c *providerCPU) total() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	var sum int64
	for _, t := range c.ticks {
		sum += t
	}
	return time.Duration(sum) * 10 * time.Millisecond
}

// cpuTicks reads utime + stime and the parent's pid from /proc/PID/stat; the command name
// before them may hold spaces, so fields are counted from its closing parenthesis.
func cpuTicks(statPath string) (ticks int64, parent int, ok bool) {
	stat, err := os.ReadFile(statPath)
	if err != nil {
		return 0, 0, false
	}
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, 0, false
	}
	fields := strings.Fields(string(stat[i+1:]))
	if len(fields) < 13 {
		return 0, 0, false
	}
	parent, err0 := strconv.Atoi(fields[1])
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	return utime + stime, parent, err0 == nil && err1 == nil && err2 == nil
}

func vmHWM(statusPath string) int64 {
	f, err := os.Open(statusPath)
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

func quoteAll(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = strconv.Quote(n)
	}
	return strings.Join(quoted, ", ")
}

// lowerBound is the least time the command could take: N × latency ÷ parallelism; for commands
// that write, N × write_delay, the pace GitHub's guidance sets for writes; and the minutes
// GitHub's 900 points a minute need for the points the command spent (its first 900 points
// can go at once, each further 900 a minute later).
func (r result) lowerBound(latency time.Duration, parallelism int, writeDelay time.Duration) time.Duration {
	bound := time.Duration(r.n) * latency / time.Duration(parallelism)
	if r.isWrite {
		bound = max(bound, time.Duration(r.n)*writeDelay)
	}
	points := 0
	for method, count := range r.byMethod {
		if method == "GET" || method == "HEAD" {
			points += count
		} else {
			points += 5 * count
		}
	}
	if points > 0 {
		bound = max(bound, time.Duration((points-1)/secondaryPointsPerMinute)*time.Minute)
	}
	return bound
}

// printTable prints the results beside their lower bound (see result.lowerBound).
func printTable(results []result, latency time.Duration, parallelism int, writeDelay time.Duration) {
	w := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(w, "N\toperation\twall\tlower bound\tratio\tratio without terraform's fixed cost\tGET/res\tPATCH/res\t304s\tprimary cost\tsecondary trips\tprovider peak RSS\tCPU provider / terraform\n")
	for _, r := range results {
		perResource := func(m string) string { return fmt.Sprintf("%.2f", float64(r.byMethod[m])/float64(r.n)) }
		bound := r.lowerBound(latency, parallelism, writeDelay)
		fmt.Fprintf(w, "%d\t%s\t%v\t%v\t%.2f\t%.2f (%v)\t%s\t%s\t%d\t%d\t%d\t%.0f MiB\t%v / %v\n", r.n, r.operation, r.wall.Round(10*time.Millisecond), bound.Round(10*time.Millisecond),
			float64(r.wall)/float64(bound), float64(r.wall-r.overhead)/float64(bound), r.overhead.Round(10*time.Millisecond), perResource("GET"), perResource("PATCH"), r.notModified, r.primaryCost, r.secondaryTrips, float64(r.peakProviderMemory)/(1<<20), r.providerCPU.Round(10*time.Millisecond), r.terraformCPU.Round(10*time.Millisecond))
	}
	_ = w.Flush()
}
