package e2e

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/tfcli"
)

// The local emulator guide's recipe, as a user follows it: the emulator command started on its
// own, the policy module's `terraform test` from the guide run against the base_url it printed,
// and the command stopped with an interrupt.
func TestLocalEmulatorGuideModuleTestPasses(t *testing.T) {
	requireCLIFeature(t, tfcli.TestCommand)
	_, here, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(here), "..", "..")
	baseURL := startEmulatorCommand(t)

	guide, err := os.ReadFile(filepath.Join(root, "templates", "guides", "local-emulator.md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```hcl\n# tests/default_setup.tftest.hcl\n(.*?)```").FindSubmatch(guide)
	if m == nil {
		t.Fatal("the guide has no tests/default_setup.tftest.hcl example")
	}
	const guideURL = "http://127.0.0.1:8080/api/v3/"
	if !strings.Contains(string(m[1]), guideURL) {
		t.Fatalf("the guide's test does not point at %s", guideURL)
	}
	files := map[string]string{"tests/default_setup.tftest.hcl": strings.ReplaceAll(string(m[1]), guideURL, baseURL)}
	for name, content := range policyModuleFiles(t) {
		files[filepath.Base(name)] = content
	}
	w := newWorkspace(t, baseURL, files)
	out := w.mustRun(0, "test")
	if !strings.Contains(out, `run "rolls_out_default_setup"... pass`) || !strings.Contains(out, "1 passed, 0 failed") {
		t.Errorf("terraform test did not pass the guide's run:\n%s", out)
	}
}

// startEmulatorCommand builds and starts internal/cmd/emulator on a free port, returns the
// base_url it prints, and interrupts it when the test ends, failing the test if it does not
// stop cleanly.
func startEmulatorCommand(t *testing.T) string {
	t.Helper()
	bin, err := tfcli.Build(context.Background(), "./internal/cmd/emulator", "emulator", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(filepath.Dir(bin)) })
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-quiet", "-run-queued", "5ms", "-run-in-progress", "10ms")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] == "base_url" {
				found <- f[1]
			}
		}
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		if err := cmd.Wait(); err != nil {
			t.Errorf("the emulator command did not stop cleanly on an interrupt: %v", err)
		}
	})
	select {
	case u := <-found:
		return u
	case <-time.After(30 * time.Second):
		t.Fatal("the emulator command printed no base_url within 30s")
		return ""
	}
}
