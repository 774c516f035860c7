package emulator

import (
	"slices"
	"testing"
)

func TestResultPathStripsTheCheckout(t *testing.T) {
	t.Parallel()
	tests := []struct{ uri, checkout, want string }{
		{"file:///home/runner/work/app/app/src/db.go", "file:///home/runner/work/app/app", "src/db.go"},
		{"file:///home/runner/work/app/app/src/db.go", "file:///home/runner/work/app/app/", "src/db.go"},
		{"src/db.go", "file:///home/runner/work/app/app", "src/db.go"},
		{"file:///elsewhere/db.go", "file:///home/runner/work/app/app", "/elsewhere/db.go"},
	}
	for _, tt := range tests {
		if got := resultPath(tt.uri, tt.checkout); got != tt.want {
			t.Errorf("resultPath(%q, %q) = %q, want %q", tt.uri, tt.checkout, got, tt.want)
		}
	}
}

func TestClassificationsFollowThePath(t *testing.T) {
	t.Parallel()
	tests := map[string][]string{
		"internal/db/query.go":         {},
		"internal/db/query_test.go":    {"test"},
		"test/fixtures/server.go":      {"test"},
		"app/tests/views.py":           {"test"},
		"tests/test_views.py":          {"test"},
		"internal/gen/api.pb.go":       {"generated"},
		"vendor/golang.org/x/net.go":   {"library"},
		"web/node_modules/left/pad.js": {"library"},
	}
	for path, want := range tests {
		if got := classificationsOf(path); !slices.Equal(got, want) {
			t.Errorf("classificationsOf(%q) = %v, want %v", path, got, want)
		}
	}
}

func TestSecurityLevelsRoundTrip(t *testing.T) {
	t.Parallel()
	for level, score := range securityScore {
		if got := securityLevel(score); got == nil || *got != level {
			t.Errorf("securityLevel(%s) = %v, want %s", score, got, level)
		}
	}
	for _, score := range []string{"", "0", "-1", "high"} {
		if got := securityLevel(score); got != nil {
			t.Errorf("securityLevel(%q) = %s, want none", score, *got)
		}
	}
}
