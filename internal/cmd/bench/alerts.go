package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/tfcli"
)

// benchAlerts measures the codescanning_alerts data source through terraform: `terraform plan`
// of a configuration that reads every alert of one repository of N seeded alerts, repeated,
// with the provider a child process of terraform and the embedded GitHub in this process, so
// that the provider's memory and CPU are its own.
func benchAlerts(args []string) {
	flags := flag.NewFlagSet("bench alerts", flag.ExitOnError)
	provider := addProviderFlags(flags)
	n := flags.Int("n", 10000, "alerts seeded in the repository")
	repeat := flags.Int("repeat", 5, "plans measured (their median is printed)")
	latency := flags.Duration("latency", 0, "latency the emulator adds to every answer")
	_ = flags.Parse(args)
	providerPath, removeBuild, err := provider.resolve()
	if err != nil {
		fail(err)
	}
	runs, err := measureAlerts(providerPath, *n, *repeat, *latency)
	removeBuild()
	if err != nil {
		fail(err)
	}
	printAlertRuns(*n, *latency, runs)
}

// alertRun is one measured plan: a read of every alert, or the same plan without the data
// source (terraform's and the provider's fixed cost).
type alertRun struct {
	run
	kind string
	// read is how long the provider took to answer ReadDataSource (the framework's
	// tf_req_duration_ms for it, from the protocol's TRACE log): listing, building the value,
	// encoding it for terraform.
	read time.Duration
}

func measureAlerts(providerPath string, n, repeat int, latency time.Duration) ([]alertRun, error) {
	emu := emulator.New(emulator.Config{PathPrefix: "/api-v3", Latency: latency, RateLimit: 1_000_000})
	emu.AddRepository(emulator.Repository{Owner: owner, Name: "monorepo", AdvancedSecurity: true, Languages: []string{"go", "python"}})
	emu.SeedAlerts(owner, "monorepo", n, 1)
	run, closeRun, err := startBench(emu, "codescanning-bench-alerts-")
	if err != nil {
		return nil, err
	}
	defer closeRun()

	provider := fmt.Sprintf(`terraform {
  required_providers {
    codescanning = { source = "codescanning/codescanning" }
  }
}

provider "codescanning" {
  base_url = %q
  owner    = %q
}
`, run.baseURL, owner)
	configs := map[string]string{
		"read": provider + `
data "codescanning_alerts" "all" {
  repository = "monorepo"
}

output "alerts" {
  value = length(data.codescanning_alerts.all.alerts)
}
`,
		"empty": provider,
	}
	workspaces := map[string]*tfcli.Workspace{}
	logPath := filepath.Join(run.dir, "provider.log")
	for kind, config := range configs {
		// Only the protocol's own TRACE lines, a few per call, for ReadDataSource's duration:
		// the framework's and the provider's logs stay off.
		ws, err := newWorkspace(run.cli, filepath.Join(run.dir, kind), providerPath, map[string]string{"main.tf": config},
			"TF_LOG_PROVIDER=trace", "TF_LOG_PATH="+logPath, "TF_LOG_SDK_PROTO=trace",
			"TF_LOG_SDK_FRAMEWORK=off", "TF_LOG_PROVIDER_CODESCANNING=off")
		if err != nil {
			return nil, err
		}
		workspaces[kind] = ws
	}

	var runs []alertRun
	// The first plan of each is not counted: it warms the page cache and the CLI's own files.
	for i := range repeat + 1 {
		for _, kind := range []string{"read", "empty"} {
			_ = os.Remove(logPath)
			fmt.Fprintf(os.Stderr, "bench: alerts N=%d plan (%s) %d/%d ...\n", n, kind, i, repeat)
			r, err := runCLI(workspaces[kind], emu, "plan", "-input=false")
			if err != nil {
				return nil, err
			}
			read, err := readDataSourceDuration(logPath)
			if err != nil && kind == "read" {
				return nil, err
			}
			if kind == "read" && !strings.Contains(r.output, "alerts = ") {
				return nil, fmt.Errorf("the plan shows no alerts output:\n%s", r.output)
			}
			if i > 0 {
				runs = append(runs, alertRun{run: r, kind: kind, read: read})
			}
		}
	}
	return runs, nil
}

var downstreamDuration = regexp.MustCompile(`Received downstream response:.*tf_req_duration_ms=(\d+)`)

// readDataSourceDuration finds the ReadDataSource call's duration in the provider log.
func readDataSourceDuration(logPath string) (time.Duration, error) {
	f, err := os.Open(logPath)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 1<<20), 1<<20)
	for s.Scan() {
		line := s.Text()
		if !strings.Contains(line, "tf_rpc=ReadDataSource") {
			continue
		}
		if m := downstreamDuration.FindStringSubmatch(line); m != nil {
			ms, _ := strconv.Atoi(m[1])
			return time.Duration(ms) * time.Millisecond, nil
		}
	}
	return 0, fmt.Errorf("no ReadDataSource duration in %s", logPath)
}

// printAlertRuns prints every run and the median of each kind.
func printAlertRuns(n int, latency time.Duration, runs []alertRun) {
	w := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(w, "N\tlatency\tplan\twall\tReadDataSource\trequests\tsecondary trips\tprovider peak RSS\tCPU provider / terraform\n")
	row := func(label string, r alertRun) {
		fmt.Fprintf(w, "%d\t%v\t%s\t%v\t%v\t%d\t%d\t%.0f MiB\t%v / %v\n", n, latency, label, r.wall.Round(10*time.Millisecond),
			r.read, len(r.requests), r.secondaryTrips, float64(r.peakProviderMemory)/(1<<20),
			r.providerCPU.Round(10*time.Millisecond), r.terraformCPU.Round(10*time.Millisecond))
	}
	for _, r := range runs {
		row(r.kind, r)
	}
	for _, kind := range []string{"read", "empty"} {
		var of []alertRun
		for _, r := range runs {
			if r.kind == kind {
				of = append(of, r)
			}
		}
		row(kind+" (median)", medianRun(of))
	}
	_ = w.Flush()
}

// medianRun is a run made of the median of each measure, taken separately.
func medianRun(runs []alertRun) alertRun {
	if len(runs) == 0 {
		return alertRun{}
	}
	med := func(get func(alertRun) int64) int64 {
		values := make([]int64, len(runs))
		for i, r := range runs {
			values[i] = get(r)
		}
		slices.Sort(values)
		return values[len(values)/2]
	}
	m := runs[0]
	m.wall = time.Duration(med(func(r alertRun) int64 { return int64(r.wall) }))
	m.read = time.Duration(med(func(r alertRun) int64 { return int64(r.read) }))
	m.peakProviderMemory = med(func(r alertRun) int64 { return r.peakProviderMemory })
	m.providerCPU = time.Duration(med(func(r alertRun) int64 { return int64(r.providerCPU) }))
	m.terraformCPU = time.Duration(med(func(r alertRun) int64 { return int64(r.terraformCPU) }))
	return m
}
