package githubclient

import (
	"strings"
	"testing"
)

func TestParseRepository(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, owner, want string
	}{
		{"octo-org/service", "", "octo-org/service"},
		{"octo-org/service", "other", "octo-org/service"},
		{"service", "octo-org", "octo-org/service"},
		{"octo/my.repo_name-2", "", "octo/my.repo_name-2"},
	}
	for _, c := range cases {
		got, err := ParseRepository(c.in, c.owner)
		if err != nil {
			t.Errorf("ParseRepository(%q, %q): %v", c.in, c.owner, err)
			continue
		}
		if got.String() != c.want {
			t.Errorf("ParseRepository(%q, %q) = %q, want %q", c.in, c.owner, got, c.want)
		}
	}
}

func TestParseRepositoryErrorsSayWhatToWrite(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, owner, wantInError string
	}{
		{"service", "", "set the provider's owner"},
		{"a/b/c", "", "not a valid repository name"},
		{"-bad/x", "", "not a valid owner"},
		{"octo/", "", "not a valid repository name"},
		{"octo/..", "", "not a valid repository name"},
	}
	for _, c := range cases {
		_, err := ParseRepository(c.in, c.owner)
		if err == nil || !strings.Contains(err.Error(), c.wantInError) {
			t.Errorf("ParseRepository(%q, %q) error = %v, want one containing %q", c.in, c.owner, err, c.wantInError)
		}
	}
}
