package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestDocsToolStaysOutOfTheProviderModule holds the split of issue 17: tfplugindocs is a tool of
// the tools/ module, so the provider's go.mod lists only what the provider uses, and `make docs`
// and `go generate .` run the same commands (main.go's go:generate lines).
func TestDocsToolStaysOutOfTheProviderModule(t *testing.T) {
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if root := read("go.mod"); strings.Contains(root, "terraform-plugin-docs") {
		t.Error("go.mod requires terraform-plugin-docs: tfplugindocs belongs to tools/go.mod, which main.go's go:generate runs it from")
	}

	tools := read("tools/go.mod")
	if !regexp.MustCompile(`(?m)^tool github\.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs$`).MatchString(tools) {
		t.Error("tools/go.mod does not declare tfplugindocs as a tool")
	}
	pinned := regexp.MustCompile(`(?m)^\s*github\.com/hashicorp/terraform-plugin-docs (v\S+)`).FindStringSubmatch(tools)
	checked := regexp.MustCompile(`\*\*tfplugindocs (v\S+)\*\*`).FindStringSubmatch(read("CONTRIBUTING.md"))
	switch {
	case pinned == nil:
		t.Error("tools/go.mod pins no terraform-plugin-docs version")
	case checked == nil:
		t.Error("CONTRIBUTING.md names no tfplugindocs release whose CLI lookup was checked")
	case pinned[1] != checked[1]:
		// CONTRIBUTING.md's note that tfplugindocs finds terraform without a download was read
		// in that release's source; a new release needs the note checked again.
		t.Errorf("tools/go.mod pins tfplugindocs %s, CONTRIBUTING.md's notes were checked for %s", pinned[1], checked[1])
	}

	generate := regexp.MustCompile(`(?m)^//go:generate (.*)$`).FindAllStringSubmatch(read("main.go"), -1)
	var tfplugindocs bool
	for _, g := range generate {
		tfplugindocs = tfplugindocs || strings.Contains(g[1], "go tool -modfile=tools/go.mod tfplugindocs generate")
	}
	if !tfplugindocs {
		t.Errorf("main.go's go:generate lines do not run tfplugindocs from tools/go.mod: %q", generate)
	}
	docs := regexp.MustCompile(`(?m)^docs:\n((?:\t.*\n)+)`).FindStringSubmatch(read("GNUmakefile"))
	if docs == nil || !strings.Contains(docs[1], "\tgo generate .\n") {
		t.Error("the GNUmakefile's docs target does not run `go generate .`, so it and main.go's go:generate could differ")
	}
}
