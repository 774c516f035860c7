package main

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
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

// show runs a terraform command and prints the lines that keep matches (all of them when keep is
// nil), and every line if the command fails; it returns terraform's exit code.
func (t terraform) show(keep *regexp.Regexp, args ...string) (int, error) {
	cmd := exec.Command("terraform", args...)
	var out bytes.Buffer
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = t.dir, t.env, &out, &out
	err := cmd.Run()
	code := 0
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		code = exitErr.ExitCode()
	case err != nil:
		return -1, fmt.Errorf("terraform %s: %w", args[0], err)
	}
	// -detailed-exitcode's 2 means changes, not failure.
	failed := code != 0 && (code != 2 || !contains(args, "-detailed-exitcode"))
	// A plan's story is what it will do: its notes on what changed outside Terraform repeat it,
	// and its changes to outputs follow from it.
	inNotes, isPlan := false, keep == changeLines
	for _, line := range strings.Split(strings.TrimRight(out.String(), "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "Note: Objects have changed outside of Terraform"), strings.HasPrefix(line, "Changes to Outputs:"):
			inNotes = true
		case strings.HasPrefix(line, "Terraform will perform the following actions"), strings.HasPrefix(line, "Plan: "):
			inNotes = false
		}
		kept := keep == nil || (keep.MatchString(line) && !strings.Contains(line, "(known after apply)") && (!isPlan || !inNotes))
		if failed || kept {
			fmt.Println("   ", line)
		}
	}
	if failed {
		return code, fmt.Errorf("terraform %s exited %d", args[0], code)
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
