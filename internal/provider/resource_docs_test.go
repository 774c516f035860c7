package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// readDoc reads a generated documentation page (make docs writes them from the schema and
// templates/; docs-check keeps them current).
func readDoc(t *testing.T, page string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", page))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func minutes(d time.Duration) string { return fmt.Sprintf("%d minutes", int(d.Minutes())) }

// Every resource page says its default timeouts, from the values the code uses, and what runs
// out when; every data source page gives its read timeout's default.
func TestDocsGiveEveryDefaultTimeout(t *testing.T) {
	t.Parallel()
	setup := readDoc(t, "resources/default_setup.md")
	for _, want := range []string{
		"## Timeouts",
		fmt.Sprintf("`create`, `update` and `delete` %s each, `read` %s", minutes(defaultSetupCreateTimeout), minutes(defaultSetupReadTimeout)),
		"- `create` (String) How long turning default setup on may take",
		"defaults to `" + terraformDuration(defaultSetupCreateTimeout) + "`.",
		"- `update` (String) How long a change may take, as for `create`; defaults to `" + terraformDuration(defaultSetupUpdateTimeout) + "`.",
		"its run included (with `wait_for_run`); defaults to `" + terraformDuration(defaultSetupDeleteTimeout) + "`.",
		"- `read` (String) How long a refresh may take; defaults to `" + terraformDuration(defaultSetupReadTimeout) + "`.",
		"When the time runs out, an update fails with the run's web link (a create warns instead",
	} {
		if !strings.Contains(strings.Join(strings.Fields(setup), " "), want) {
			t.Errorf("docs/resources/default_setup.md does not say %q", want)
		}
	}
	for _, d := range []time.Duration{defaultSetupUpdateTimeout, defaultSetupDeleteTimeout} {
		if d != defaultSetupCreateTimeout {
			t.Errorf("the default setup page says create, update and delete share one default; they no longer do")
		}
	}
	if dismissal := readDoc(t, "resources/alert_dismissal.md"); !strings.Contains(dismissal, "## Timeouts") ||
		!strings.Contains(dismissal, "This resource takes no `timeouts` block") {
		t.Errorf("docs/resources/alert_dismissal.md does not say how long its operations may take")
	}
	pages, err := filepath.Glob(filepath.Join("..", "..", "docs", "data-sources", "*.md"))
	if err != nil || len(pages) == 0 {
		t.Fatalf("no data source pages: %v", err)
	}
	for _, page := range pages {
		b, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "Defaults to `"+terraformDuration(dataSourceReadTimeout)+"`.") {
			t.Errorf("%s does not give the read timeout's default", page)
		}
	}
}

// Changing reason or comment is not silent on GitHub: the page says the alert is reopened and
// dismissed again, in its history, and that GitHub may notify.
func TestDocsSayARedismissalShowsInTheAlertsHistory(t *testing.T) {
	t.Parallel()
	// Words only: the page wraps its lines where it likes.
	dismissal := strings.Join(strings.Fields(readDoc(t, "resources/alert_dismissal.md")), " ")
	for _, want := range []string{"reopens it and dismisses it again", "stay in the alert's history on GitHub", "GitHub may notify"} {
		if !strings.Contains(dismissal, want) {
			t.Errorf("docs/resources/alert_dismissal.md does not say %q", want)
		}
	}
}
