package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// `bench policy`: codescanning_alert_dismissal_policy at scale through the CLI (issue 16). A
// repository of N open alerts of which M are in test code (test/**), and a policy dismissing
// those: the plan (M pending), the apply (M dismissals at the provider's write pace), and the
// plan after it (a refresh, which should find nothing to do). With -org-repos R, the same for an
// organization of R repositories sharing -org-alerts alerts, one in five in test code.
//
// Each step prints wall time, requests by method, how many pages of 100 the alerts GitHub could
// list for the policy fill (the least a refresh can read: the policy lists the open and the
// dismissed alerts), the emulator's secondary-limit trips, and the provider process's peak
// resident set and CPU. The targets: a refresh reads no more than those pages, the provider stays
// under 100 MiB, and nothing trips the secondary limit.
func benchPolicy(args []string) {
	flags := flag.NewFlagSet("bench policy", flag.ExitOnError)
	provider := addProviderFlags(flags)
	n := flags.Int("n", 10000, "open alerts in the repository (0: only the organization form)")
	match := flags.Int("match", 2000, "of them, in test code, which the policy dismisses")
	orgRepos := flags.Int("org-repos", 0, "also the organization form over this many repositories (the issue's: 200)")
	orgAlerts := flags.Int("org-alerts", 20000, "alerts across the organization's repositories, one in five matching")
	writeDelay := flags.String("write-delay", "1s", "the provider's write_delay (its default, 1s, is GitHub's guidance)")
	planOnly := flags.Bool("plan-only", false, "only the first plan: what listing costs, without the apply's writes (the organization form's take 27 minutes)")
	_ = flags.Parse(args)
	if *n < 0 || (*n > 0 && (*match < 0 || *match > *n)) || (*n == 0 && *orgRepos < 1) {
		fail(fmt.Errorf("-n %d -match %d -org-repos %d: want 0 <= match <= n, and n or org-repos at least 1", *n, *match, *orgRepos))
	}
	providerPath, cleanup, err := provider.resolve()
	if err != nil {
		fail(err)
	}
	defer cleanup()
	var results []policyStep
	if *n > 0 {
		steps, err := measurePolicy(providerPath, policyScale{repos: 1, alerts: *n, matching: *match}, *writeDelay, *planOnly)
		if err != nil {
			fail(err)
		}
		results = append(results, steps...)
	}
	if *orgRepos > 0 {
		steps, err := measurePolicy(providerPath, policyScale{repos: *orgRepos, alerts: *orgAlerts, matching: *orgAlerts / 5}, *writeDelay, *planOnly)
		if err != nil {
			fail(err)
		}
		results = append(results, steps...)
	}
	printPolicySteps(results)
}

// policyScale is what a policy bench runs over: alerts spread evenly across repos, of which
// matching are in test code.
type policyScale struct{ repos, alerts, matching int }

func (s policyScale) String() string {
	if s.repos == 1 {
		return fmt.Sprintf("repository, %d alerts, %d matching", s.alerts, s.matching)
	}
	return fmt.Sprintf("organization of %d repositories, %d alerts, %d matching", s.repos, s.alerts, s.matching)
}

// policyStep is one measured command.
type policyStep struct {
	run
	scale     policyScale
	step      string
	pages     int // the least pages the policy's lists could be read in before the step (policyAlerts)
	dismissed int // alerts dismissed on GitHub after the step
}

func measurePolicy(providerPath string, scale policyScale, writeDelay string, planOnly bool) ([]policyStep, error) {
	emu := emulator.New(emulator.Config{PathPrefix: "/api-v3", RateLimit: 1_000_000})
	repos := make([]string, scale.repos)
	for i := range repos {
		repos[i] = "monorepo"
		if scale.repos > 1 {
			repos[i] = fmt.Sprintf("repo-%03d", i)
		}
		emu.AddRepository(emulator.Repository{Owner: owner, Name: repos[i], AdvancedSecurity: true, Languages: []string{"go"}})
	}
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range scale.alerts {
		path := fmt.Sprintf("internal/pkg%d/file%d.go", i%97, i)
		// Every (alerts ÷ matching)th alert is in test code, so the matching ones are spread
		// over every page rather than bunched on a few.
		if scale.matching > 0 && i%(scale.alerts/scale.matching) == 0 && i/(scale.alerts/scale.matching) < scale.matching {
			path = fmt.Sprintf("test/pkg%d/file%d_test.go", i%97, i)
		}
		emu.AddAlert(owner, repos[i%len(repos)], emulator.Alert{
			State:     "open",
			Rule:      emulator.AlertRule{ID: "go/sql-injection", Name: "SQL injection", Severity: "error", Description: "Database query built from user-controlled sources", Tags: []string{"security"}},
			Instances: []emulator.AlertInstance{{Ref: "refs/heads/main", Path: path, StartLine: 1 + i%400, EndLine: 1 + i%400, StartColumn: 1, EndColumn: 20, Message: "This query depends on a user-provided value."}},
			CreatedAt: created.Add(time.Duration(i) * time.Minute),
		})
	}
	run, closeRun, err := startBench(emu, "codescanning-bench-policy-")
	if err != nil {
		return nil, err
	}
	defer closeRun()
	scope := fmt.Sprintf("repository = %q", repos[0])
	if scale.repos > 1 {
		scope = fmt.Sprintf("organization = %q", owner)
	}
	config := fmt.Sprintf(`terraform {
  required_providers {
    codescanning = { source = "codescanning/codescanning" }
  }
}

provider "codescanning" {
  base_url    = %q
  owner       = %q
  write_delay = %q
}

resource "codescanning_alert_dismissal_policy" "tests" {
  name    = "tests"
  %s
  paths   = ["test/**"]
  reason  = "used in tests"
  comment = "Test code, not shipped."
}
`, run.baseURL, owner, writeDelay, scope)
	ws, err := newWorkspace(run.cli, filepath.Join(run.dir, "policy"), providerPath, map[string]string{"main.tf": config})
	if err != nil {
		return nil, err
	}
	var steps []policyStep
	for _, step := range []struct {
		name string
		args []string
	}{
		{"plan", []string{"plan", "-input=false"}},
		{fmt.Sprintf("apply (write_delay %s)", writeDelay), []string{"apply", "-input=false", "-auto-approve"}},
		{"plan after the apply (refresh)", []string{"plan", "-input=false", "-detailed-exitcode"}},
	} {
		fmt.Fprintf(os.Stderr, "bench: policy over a %s: %s ...\n", scale, step.name)
		_, pages := policyAlerts(emu, repos, scale.repos > 1)
		r, err := runCLI(ws, emu, step.args...)
		if err != nil {
			return nil, err
		}
		dismissed, _ := policyAlerts(emu, repos, scale.repos > 1)
		steps = append(steps, policyStep{run: r, scale: scale, step: step.name, pages: pages, dismissed: dismissed})
		if planOnly {
			break
		}
	}
	return steps, nil
}

// policyAlerts counts the dismissed alerts of repos, and the least pages of 100 that the policy's
// lists (the open alerts and the dismissed ones: of each repository, or of the organization)
// can be read in; a list with nothing in it is still one request.
func policyAlerts(emu *emulator.Emulator, repos []string, organization bool) (dismissed, pages int) {
	pagesOf := func(n int) int { return max(1, (n+99)/100) }
	var allOpen, allDismissed int
	for _, repo := range repos {
		open, dism := 0, 0
		for number := 1; ; number++ {
			a, ok := emu.Alert(owner, repo, number)
			if !ok {
				break
			}
			switch a.State {
			case "open":
				open++
			case "dismissed":
				dism++
			}
		}
		allOpen, allDismissed = allOpen+open, allDismissed+dism
		if !organization {
			pages += pagesOf(open) + pagesOf(dism)
		}
	}
	if organization {
		pages = pagesOf(allOpen) + pagesOf(allDismissed)
	}
	return allDismissed, pages
}

func printPolicySteps(steps []policyStep) {
	w := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(w, "scope\tstep\twall\tGET\tPATCH\tpages listable\tdismissed after\tsecondary trips\tprovider peak RSS\tCPU provider / terraform\n")
	for _, s := range steps {
		fmt.Fprintf(w, "%s\t%s\t%v\t%d\t%d\t%d\t%d\t%d\t%.0f MiB\t%v / %v\n", s.scale, s.step, s.wall.Round(10*time.Millisecond),
			s.byMethod["GET"], s.byMethod["PATCH"], s.pages, s.dismissed, s.secondaryTrips, float64(s.peakProviderMemory)/(1<<20),
			s.providerCPU.Round(10*time.Millisecond), s.terraformCPU.Round(10*time.Millisecond))
	}
	_ = w.Flush()
}
