package provider

import (
	"errors"
	"testing"
)

func TestParseAlertIDReadsWhatAlertIDWrites(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		id, owner string
		want      string // alertID of what was parsed; "" for an error
		formError bool   // the error is errAlertIDForm rather than the repository's
	}{
		{id: "octo-org/service/42", want: "octo-org/service/42"},
		{id: "service/42", owner: "octo-org", want: "octo-org/service/42"},
		{id: "other/service/7", owner: "octo-org", want: "other/service/7"},
		{id: "service/42"}, // a bare name without an owner
		{id: "42", owner: "octo-org", formError: true}, // no repository at all
		{id: "octo-org/service/0", formError: true},    // numbers start at 1
		{id: "octo-org/service/x", formError: true},    // not a number
		{id: "octo-org/service/", formError: true},     // no number
		{id: "octo-org/ser vice/3"},                    // the repository's own error
	} {
		repo, number, err := parseAlertID(&providerData{owner: tt.owner}, tt.id)
		switch {
		case tt.want != "" && err != nil:
			t.Errorf("parseAlertID(%q) failed: %v", tt.id, err)
		case tt.want != "" && alertID(repo, number) != tt.want:
			t.Errorf("parseAlertID(%q) read %s, want %s", tt.id, alertID(repo, number), tt.want)
		case tt.want == "" && err == nil:
			t.Errorf("parseAlertID(%q) accepted it as %s", tt.id, alertID(repo, number))
		case tt.want == "" && errors.Is(err, errAlertIDForm) != tt.formError:
			t.Errorf("parseAlertID(%q) = %v; want the form error: %v", tt.id, err, tt.formError)
		}
	}
}
