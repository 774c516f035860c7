package main

import (
	"fmt"
	"regexp"
	"strings"
)

// The demo prints what tells its story, not all terraform writes: a person should read the whole
// pitch in one screen. A command that fails prints everything it wrote, so nothing is hidden
// when something goes wrong.
var (
	// progressLines are terraform's lines for each resource it changes, and its summary.
	progressLines = regexp.MustCompile(`^\S+\.\S+: (Creating|Creation complete|Modifying|Modifications complete|Destroying|Destruction complete)\b|^(Apply|Destroy) complete!`)
	// changeLines are a plan's resource headers, the attributes and list elements it changes,
	// and its summary.
	changeLines = regexp.MustCompile(`^\s+# \S+ (will|must) be |^\s+[~+-] [a-z_]+\s+= |^\s+[+-] "[^"]*",?$|^Plan: |^No changes\.`)
)

// show runs a CLI command and prints the lines that keep matches (all of them when keep is
// nil), and every line if the command fails; it returns terraform's exit code.
func (t terraform) show(keep *regexp.Regexp, args ...string) (int, error) {
	code, out, err := t.ws.Output(args...)
	if err != nil {
		return -1, fmt.Errorf("%s %s: %w", t.ws.CLI.Name(), args[0], err)
	}
	// -detailed-exitcode's 2 means changes, not failure.
	failed := code != 0 && (code != 2 || !contains(args, "-detailed-exitcode"))
	// A plan's story is what it will do: its notes on what changed outside Terraform repeat it,
	// and its changes to outputs follow from it.
	inNotes, isPlan := false, keep == changeLines
	// OpenTofu writes its own name where Terraform writes "Terraform".
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "Note: Objects have changed outside of "), strings.HasPrefix(line, "Changes to Outputs:"):
			inNotes = true
		case strings.HasSuffix(line, " will perform the following actions:"), strings.HasPrefix(line, "Plan: "):
			inNotes = false
		}
		kept := keep == nil || (keep.MatchString(line) && !strings.Contains(line, "(known after apply)") && (!isPlan || !inNotes))
		if failed || kept {
			fmt.Println("   ", line)
		}
	}
	if failed {
		return code, fmt.Errorf("%s %s exited %d", t.ws.CLI.Name(), args[0], code)
	}
	return code, nil
}

func contains(args []string, want string) bool {
	for _, a := range args {
		if a == want {
			return true
		}
	}
	return false
}
