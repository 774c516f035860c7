package provider

import (
	"fmt"
	"path"
	"strings"
)

// The dismissal policy (issue 16) matches alerts by globs on the path of their most recent
// instance: test/**, **/vendor/**, **/*_test.go. GitHub has no path filter for the alert list,
// so the provider matches them itself. path.Match has no "**"; here "**" is a whole segment that
// matches any number of segments, none included, and every other segment is path.Match's, so
// "*" never crosses a "/".

// matchPathGlob reports whether the slash-separated name matches pattern. A pattern that is not
// valid (checkPathGlob) matches nothing.
func matchPathGlob(pattern, name string) bool {
	return matchSegments(strings.Split(pattern, "/"), strings.Split(name, "/"))
}

func matchSegments(pattern, name []string) bool {
	for len(pattern) > 0 {
		if pattern[0] == "**" {
			for skip := 0; skip <= len(name); skip++ {
				if matchSegments(pattern[1:], name[skip:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, err := path.Match(pattern[0], name[0]); err != nil || !ok {
			return false
		}
		pattern, name = pattern[1:], name[1:]
	}
	return len(name) == 0
}

// checkPathGlob says what is wrong with a pattern, for a plan-time diagnostic, or returns nil.
func checkPathGlob(pattern string) error {
	if pattern == "" || strings.HasPrefix(pattern, "/") {
		return fmt.Errorf("%q: a path glob is relative to the repository root, like test/** or **/vendor/**", pattern)
	}
	for _, segment := range strings.Split(pattern, "/") {
		if segment == "**" {
			continue
		}
		if strings.Contains(segment, "**") {
			return fmt.Errorf("%q: ** must be a whole path segment (**/vendor/**, not vendor**)", pattern)
		}
		if _, err := path.Match(segment, ""); err != nil {
			return fmt.Errorf("%q: %v", pattern, err)
		}
	}
	return nil
}
