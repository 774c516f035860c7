package emulator

import (
	"strconv"
	"testing"
)

// securityLevelOf is the level GitHub gives a SARIF security-severity score: critical above 9.0,
// high from 7.0, medium from 4.0, low above 0.0.
func securityLevelOf(score string) string {
	f, err := strconv.ParseFloat(score, 64)
	switch {
	case err != nil || f <= 0:
		return ""
	case f > 9.0:
		return "critical"
	case f >= 7.0:
		return "high"
	case f >= 4.0:
		return "medium"
	default:
		return "low"
	}
}

// TestSecurityScoresLieInGitHubsBands: an analysis's SARIF gives each rule the score of its
// level, which a reader maps back to the same level.
func TestSecurityScoresLieInGitHubsBands(t *testing.T) {
	t.Parallel()
	for level, score := range securityScore {
		if got := securityLevelOf(score); got != level {
			t.Errorf("security-severity %s is %q, want %s", score, got, level)
		}
	}
}
