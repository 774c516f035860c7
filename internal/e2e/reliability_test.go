package e2e

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/emulatortest"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/netsim"
)

// The reliability suite: applies interrupted, killed, run twice at once and met by every fault,
// through the real terraform CLI. Each test ends with the same checks: no PATCH ever turned
// default setup off (a replacement would), GitHub holds the configuration, and the plan after
// the last apply is empty. RELIABILITY_N sets the number of repositories (`make reliability`
// runs the long forms); each test logs a "reliability:" line with its figures for RELIABILITY.md.

// reliabilityN is the number of repositories, small by default so that `make test` runs the suite.
func reliabilityN(t *testing.T, fast int) int {
	t.Helper()
	if s := os.Getenv("RELIABILITY_N"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("RELIABILITY_N=%q is not a positive number", s)
		}
		return n
	}
	return fast
}

// fleet adds repositories rel-000 to rel-(n-1) and returns a configuration managing them.
func fleet(emu *emulator.Emulator, n int, providerSettings string) map[string]string {
	for i := range n {
		emu.AddRepository(emulator.Repository{Owner: owner, Name: fmt.Sprintf("rel-%03d", i), AdvancedSecurity: true, Languages: []string{"go", "python"}})
	}
	block := strings.Replace(providerBlock, "  points_per_minute = 0\n", "  points_per_minute = 0\n"+providerSettings, 1)
	return map[string]string{"main.tf": block + fmt.Sprintf(`
resource "codescanning_default_setup" "rel" {
  count = %d

  repository  = format("rel-%%03d", count.index)
  languages   = ["go"]
  query_suite = "extended"
}
`, n)}
}

// patchFigures counts the default setup PATCHes each repository received, and those that
// turned it off.
func patchFigures(emu *emulator.Emulator) (perRepo map[string]int, turnedOff int) {
	perRepo = map[string]int{}
	for _, r := range emu.Requests() {
		if r.Method != http.MethodPatch || !strings.HasSuffix(r.Path, "/code-scanning/default-setup") {
			continue
		}
		parts := strings.Split(r.Path, "/")
		perRepo[parts[len(parts)-3]]++
		if strings.Contains(string(r.Body), `"not-configured"`) {
			turnedOff++
		}
	}
	return perRepo, turnedOff
}

// checkConverged fails the test unless every repository holds the configuration, no PATCH turned
// default setup off, and the plan is empty; it logs the figures.
func checkConverged(t *testing.T, emu *emulator.Emulator, n int, w *workspace, what string) {
	t.Helper()
	for i := range n {
		name := fmt.Sprintf("rel-%03d", i)
		if ds, _ := emu.DefaultSetup(owner, name); ds.State != "configured" || ds.QuerySuite != "extended" {
			t.Errorf("%s holds %+v", name, ds)
		}
	}
	perRepo, turnedOff := patchFigures(emu)
	counts := make([]int, 0, len(perRepo))
	for _, c := range perRepo {
		counts = append(counts, c)
	}
	sort.Ints(counts)
	if turnedOff != 0 {
		t.Errorf("%d PATCHes turned default setup off: a retry replaced it", turnedOff)
	}
	code, out := w.run("plan", "-detailed-exitcode")
	if code != 0 {
		t.Errorf("plan after the re-apply exited %d, want 0 (clean):\n%s", code, out)
	}
	faults, injected := emu.Network().FaultCounts(), 0
	for _, c := range faults {
		injected += c
	}
	maxPatches := 0
	if len(counts) > 0 {
		maxPatches = counts[len(counts)-1]
	}
	t.Logf("reliability: %s: resources=%d faults_injected=%d patches_per_repository_max=%d patches_total=%d patches_turning_off=%d clean_plan=%t",
		what, n, injected, maxPatches, sum(counts), turnedOff, code == 0)
}

func sum(v []int) int {
	s := 0
	for _, x := range v {
		s += x
	}
	return s
}

// background is a terraform command running in its own process group, so that a test can
// interrupt or kill it (and its provider) as Ctrl-C or a cancelled CI job would.
type background struct {
	cmd  *exec.Cmd
	out  bytes.Buffer
	done chan struct{}
	code int
}

func (w *workspace) start(args ...string) *background {
	w.t.Helper()
	b := &background{done: make(chan struct{})}
	b.cmd = w.Command(append(args, "-no-color")...)
	b.cmd.Stdout, b.cmd.Stderr = &b.out, &b.out
	b.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := b.cmd.Start(); err != nil {
		w.t.Fatalf("terraform %v: %v", args, err)
	}
	go func() {
		defer close(b.done)
		_ = b.cmd.Wait()
		b.code = b.cmd.ProcessState.ExitCode()
	}()
	return b
}

// signal sends sig to the command's process group: terraform and the provider it started.
func (b *background) signal(sig syscall.Signal) { _ = syscall.Kill(-b.cmd.Process.Pid, sig) }

func (b *background) wait(t *testing.T) (int, string) {
	t.Helper()
	select {
	case <-b.done:
	case <-time.After(5 * time.Minute):
		b.signal(syscall.SIGKILL)
		<-b.done
		t.Fatalf("terraform did not end within 5 minutes:\n%s", b.out.String())
	}
	return b.code, b.out.String()
}

// runsEndAsGitHubIsRead moves GitHub's clock by step with every read, so that runs of an hour
// end within an apply without the test waiting for them.
func runsEndAsGitHubIsRead(emu *emulator.Emulator, step time.Duration, also func(*http.Request)) {
	emu.Intercept(func(_ http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodGet {
			emu.Advance(step)
		}
		if also != nil {
			also(r)
		}
		return false
	})
}

// An apply interrupted part-way (Ctrl-C, or SIGKILL as a cancelled CI job does), with runs under
// way, then applied again: the re-apply follows or repeats the changes, never replaces one, and
// the plan after it is empty.
func TestReliabilityInterruptedApplyThenReapplyNeverReplaces(t *testing.T) {
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGKILL} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			n := reliabilityN(t, 12)
			emu, baseURL := emulatortest.NewServer(t, emulator.Config{RunQueued: 5 * time.Millisecond, RunInProgress: time.Hour})
			w := newWorkspace(t, baseURL, fleet(emu, n, ""))
			// The interrupt comes as the fifth PATCH reaches GitHub: earlier ones wait for their
			// hour-long runs, later ones are not sent yet.
			var patches atomic.Int32
			var apply *background
			var once sync.Once
			ready := make(chan struct{})
			emu.Intercept(func(_ http.ResponseWriter, r *http.Request) bool {
				if r.Method == http.MethodPatch && patches.Add(1) == 5 {
					go once.Do(func() { <-ready; apply.signal(sig) })
				}
				return false
			})
			apply = w.start("apply", "-auto-approve")
			close(ready)
			code, out := apply.wait(t)
			if code == 0 {
				t.Fatalf("the interrupted apply exited 0:\n%s", out)
			}
			t.Logf("interrupted apply (exit %d):\n%s", code, out)
			if sig == syscall.SIGINT && !wordsPattern("did not finish during the apply").MatchString(out) {
				t.Errorf("the interrupted apply does not warn that runs it had started did not finish:\n%s", out)
			}

			runsEndAsGitHubIsRead(emu, 5*time.Minute, nil)
			out = w.mustRun(0, "apply", "-auto-approve")
			if strings.Contains(out, "must be replaced") || strings.Contains(out, "destroy and then create") {
				t.Errorf("the re-apply replaced default setups:\n%s", out)
			}
			checkConverged(t, emu, n, w, "interrupted by "+sig.String()+" then re-applied")
		})
	}
}

// Two workspaces apply the same repositories at once, as two pipelines on one organization
// would: each meets the other's runs ("no change" while they are under way, 409s for a
// different configuration); both succeed and both plans end clean.
func TestReliabilityTwoWorkspacesApplyingTheSameRepositoriesAtOnce(t *testing.T) {
	t.Parallel()
	n := reliabilityN(t, 12)
	emu, baseURL := emulatortest.NewServer(t, emulator.Config{RunQueued: 5 * time.Millisecond, RunInProgress: 30 * time.Minute})
	files := fleet(emu, n, "")
	runsEndAsGitHubIsRead(emu, time.Minute, nil)
	workspaces := []*workspace{newWorkspace(t, baseURL, files), newWorkspace(t, baseURL, files)}
	var applies []*background
	for _, w := range workspaces {
		applies = append(applies, w.start("apply", "-auto-approve"))
	}
	for i, a := range applies {
		if code, out := a.wait(t); code != 0 {
			t.Errorf("workspace %d: apply exited %d:\n%s", i, code, out)
		}
	}
	for i, w := range workspaces {
		checkConverged(t, emu, n, w, fmt.Sprintf("two workspaces at once, workspace %d", i))
	}
}

// Faults GitHub and the network produce, one request in five, over an apply through the CLI: it
// converges, with no replacement and a clean plan after. The fast form leaves out the secondary
// limits without retry-after, which the built provider waits out for a minute, doubling, as
// GitHub asks (the in-process TestDefaultSetupAtScaleConvergesThroughInjectedFaults covers them
// in milliseconds); the long form (RELIABILITY_N set) injects every kind.
func TestReliabilityEveryFaultAtTwentyPercent(t *testing.T) {
	t.Parallel()
	n := reliabilityN(t, 12)
	kinds := slices.DeleteFunc(slices.Clone(netsim.AllFaults), func(f netsim.Fault) bool {
		return f == netsim.FaultSecondary403NR || f == netsim.FaultSecondary429NR
	})
	if os.Getenv("RELIABILITY_N") != "" {
		kinds = netsim.AllFaults
	}
	emu, baseURL := emulatortest.NewServer(t, emulator.Config{RunQueued: 5 * time.Millisecond, RunInProgress: 10 * time.Millisecond})
	w := newWorkspace(t, baseURL, fleet(emu, n, fmt.Sprintf("  cache_dir = %q\n", t.TempDir())))
	emu.Network().SetFaults(netsim.Faults{Probability: 0.2, Kinds: kinds, SlowAnswer: 20 * time.Millisecond, RetryAfter: time.Second, PrimaryReset: time.Second})
	out := w.mustRun(0, "apply", "-auto-approve")
	if strings.Contains(out, "inconsistent result") {
		t.Errorf("inconsistent result after apply:\n%s", out)
	}
	checkConverged(t, emu, n, w, fmt.Sprintf("%d fault kinds at 20%%", len(kinds)))
}
