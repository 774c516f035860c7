package provider

import "testing"

func TestMatchPathGlobTreatsDoubleStarAsAnyNumberOfSegments(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		pattern, name string
		want          bool
	}{
		{"test/**", "test/fixtures/server.go", true},
		{"test/**", "test", true},
		{"test/**", "internal/test/x.go", false},
		{"**/vendor/**", "vendor/github.com/x/y.go", true},
		{"**/vendor/**", "third_party/vendor/y.go", true},
		{"**/vendor/**", "vendored/y.go", false},
		{"**/*_test.go", "query_test.go", true},
		{"**/*_test.go", "internal/db/query_test.go", true},
		{"**/*_test.go", "internal/db/query.go", false},
		{"*_test.go", "internal/db/query_test.go", false}, // * never crosses a /
		{"internal/*/query.go", "internal/db/query.go", true},
		{"[", "[", false}, // invalid: matches nothing
	} {
		if got := matchPathGlob(c.pattern, c.name); got != c.want {
			t.Errorf("matchPathGlob(%q, %q) = %v, want %v", c.pattern, c.name, got, c.want)
		}
	}
}

func TestCheckPathGlobSaysWhatIsWrong(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"test/**", "**/vendor/**", "**/*_test.go", "go.mod"} {
		if err := checkPathGlob(ok); err != nil {
			t.Errorf("checkPathGlob(%q) = %v, want nil", ok, err)
		}
	}
	for _, bad := range []string{"", "/test/**", "vendor**", "a/[b"} {
		if err := checkPathGlob(bad); err == nil {
			t.Errorf("checkPathGlob(%q) = nil, want an error", bad)
		}
	}
}
