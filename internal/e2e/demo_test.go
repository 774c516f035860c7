package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// make demo tells the whole pitch, default setup on three repositories, an alert dismissed with
// its reason, drift caught, in well under 100 lines; and says it is building before `go run`
// builds the demo, which takes minutes on a cold cache.
func TestDemoShowsThePitchInUnder100Lines(t *testing.T) {
	t.Parallel()
	bin, err := providerBinary()
	if err != nil {
		t.Fatal(err)
	}
	_, here, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(here), "..", "..")
	cmd := exec.Command("go", "run", "./internal/cmd/demo", "-provider", bin, "-config", "examples/demo", "-run-time", "10ms")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE=/dev/null", "CHECKPOINT_DISABLE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("demo failed: %v\n%s", err, out)
	}
	text := string(out)
	// Terraform aligns a resource's "=" signs to its longest attribute name, so the content is
	// compared with runs of spaces as one.
	words := regexp.MustCompile(` +`).ReplaceAllString(text, " ")
	if lines := strings.Count(text, "\n"); lines >= 100 {
		t.Errorf("demo printed %d lines, want well under 100:\n%s", lines, text)
	}
	for _, want := range []string{
		"codescanning_default_setup.payments: Creation complete",
		"codescanning_default_setup.frontend: Creation complete",
		"codescanning_default_setup.pipeline: Creation complete",
		"codescanning_alert_dismissal.test_fixture: Creation complete",
		`dismissed_alert = "`,
		`+ reason = "used in tests"`,
		`~ state = "not-configured" -> "configured"`,
		"plan exited 2: the drift was caught",
		"Destroy complete! Resources: 4 destroyed.",
	} {
		if !strings.Contains(words, want) {
			t.Errorf("demo output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Provider development overrides are in effect") {
		t.Errorf("demo output carries terraform's dev_overrides warning, which tells a newcomer nothing:\n%s", text)
	}

	makefile, err := os.ReadFile(filepath.Join(root, "GNUmakefile"))
	if err != nil {
		t.Fatal(err)
	}
	recipe := regexp.MustCompile(`(?s)\ndemo:.*?\n\n`).Find(makefile)
	building := strings.Index(string(recipe), `echo "==> Building`)
	if building < 0 || building > strings.Index(string(recipe), "go run ./internal/cmd/demo") {
		t.Errorf("make demo does not say it is building before its build:\n%s", recipe)
	}
}
