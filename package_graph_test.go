package main

import (
	"bufio"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// DESIGN.md's package graph (its ```package-graph block) is the import graph of this module's
// packages as `go list` sees it, non-test imports only: every package is listed, and each line's
// edges are exactly the packages of this module it imports. A new package or import fails this
// test naming the line to add or change, so the design cannot drift from the code.
func TestDesignPackageGraphIsGoList(t *testing.T) {
	t.Parallel()
	design, err := designPackageGraph("DESIGN.md")
	if err != nil {
		t.Fatal(err)
	}
	actual, err := goListGraph()
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range slices.Sorted(maps.Keys(actual)) {
		want, listed := design[pkg]
		if !listed {
			t.Errorf("DESIGN.md's package graph lacks package %s; add: %s -> %s", pkg, pkg, edgesText(actual[pkg]))
			continue
		}
		for _, dep := range actual[pkg] {
			if !slices.Contains(want, dep) {
				t.Errorf("DESIGN.md's package graph lacks the edge %s -> %s (go list: %s imports it)", pkg, dep, pkg)
			}
		}
		for _, dep := range want {
			if !slices.Contains(actual[pkg], dep) {
				t.Errorf("DESIGN.md's package graph has the edge %s -> %s, which go list does not show", pkg, dep)
			}
		}
	}
	for _, pkg := range slices.Sorted(maps.Keys(design)) {
		if _, ok := actual[pkg]; !ok {
			t.Errorf("DESIGN.md's package graph lists %s, which is not a package of the module", pkg)
		}
	}
}

// A graph is each package (a path relative to the module, "." for its root) and the packages
// of the module it imports, sorted.
type graph map[string][]string

// designPackageGraph reads the ```package-graph block of a Markdown file: lines
// "pkg -> dep, dep" or "pkg -> -" for none, with anything after a "#" a comment.
func designPackageGraph(file string) (graph, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	g := graph{}
	in, found := false, false
	scanner := bufio.NewScanner(f)
	for n := 1; scanner.Scan(); n++ {
		line := strings.TrimSpace(scanner.Text())
		switch {
		case line == "```package-graph":
			in, found = true, true
			continue
		case in && line == "```":
			in = false
			continue
		case !in:
			continue
		}
		line, _, _ = strings.Cut(line, "#")
		if strings.TrimSpace(line) == "" {
			continue
		}
		pkg, deps, ok := strings.Cut(line, "->")
		pkg = strings.TrimSpace(pkg)
		if !ok || pkg == "" {
			return nil, fmt.Errorf("%s:%d: %q is not \"pkg -> dep, dep\"", file, n, line)
		}
		if _, dup := g[pkg]; dup {
			return nil, fmt.Errorf("%s:%d: %s is listed twice", file, n, pkg)
		}
		g[pkg] = []string{}
		if deps = strings.TrimSpace(deps); deps != "-" {
			for _, dep := range strings.Split(deps, ",") {
				g[pkg] = append(g[pkg], strings.TrimSpace(dep))
			}
		}
		slices.Sort(g[pkg])
	}
	if err := scanner.Err(); err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("%s has no ```package-graph block", file)
	}
	return g, nil
}

// goListGraph is the module's import graph as go list gives it. Packages under bin/ (the
// git-ignored directory for locally installed tools) are not the module's.
func goListGraph() (graph, error) {
	module, err := exec.Command("go", "list", "-m").Output()
	if err != nil {
		return nil, fmt.Errorf("go list -m: %w", err)
	}
	root := strings.TrimSpace(string(module))
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./...").Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %w", err)
	}
	relative := func(importPath string) (string, bool) {
		if importPath == root {
			return ".", true
		}
		rel, ok := strings.CutPrefix(importPath, root+"/")
		return rel, ok
	}
	g := graph{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, _ := relative(fields[0])
		if strings.HasPrefix(pkg, "bin/") {
			continue
		}
		g[pkg] = []string{}
		for _, imp := range fields[1:] {
			if dep, ours := relative(imp); ours {
				g[pkg] = append(g[pkg], dep)
			}
		}
		slices.Sort(g[pkg])
	}
	return g, nil
}

func edgesText(deps []string) string {
	if len(deps) == 0 {
		return "-"
	}
	return strings.Join(deps, ", ")
}
