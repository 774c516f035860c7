package githubclient

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

func TestListRepositoryAlertsOfANeverAnalyzedRepositoryIsEmpty(t *testing.T) {
	t.Parallel()
	c, _ := newTestClient(t, emulator.Config{})
	list, err := c.ListRepositoryAlerts(context.Background(), service, AlertFilter{})
	alerts := list.Alerts
	if err != nil || alerts == nil || len(alerts) != 0 {
		t.Fatalf("ListRepositoryAlerts = %v, %v; want an empty list for GitHub's 404 no analysis found", alerts, err)
	}
	if _, err := c.ListRepositoryAlerts(context.Background(), Repository{"octo-org", "missing"}, AlertFilter{}); !IsNotFound(err) {
		t.Fatalf("a missing repository gave %v; want its 404", err)
	}
}

func TestListRepositoryAlertsFollowsEveryPageAndStopsAtTheLimit(t *testing.T) {
	t.Parallel()
	c, emu := newTestClient(t, emulator.Config{})
	emu.SeedAlerts("octo-org", "service", 450, 3)
	emu.ResetRequests()
	list, err := c.ListRepositoryAlerts(context.Background(), service, AlertFilter{State: "open"})
	all := list.Alerts
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, a := range all {
		if seen[a.Number] || a.State != "open" {
			t.Fatalf("alert %d listed twice or not open (%q)", a.Number, a.State)
		}
		seen[a.Number] = true
	}
	if want := (len(all) + 99) / 100; len(emu.Requests()) != want {
		t.Fatalf("%d requests for %d alerts; want %d at 100 a page", len(emu.Requests()), len(all), want)
	}
	capped, err := c.ListRepositoryAlerts(context.Background(), service, AlertFilter{Max: 150})
	if err != nil || len(capped.Alerts) != 150 {
		t.Fatalf("Max 150 gave %d alerts, %v", len(capped.Alerts), err)
	}
}

func TestNextPageLinkToAnotherHostIsRefused(t *testing.T) {
	t.Parallel()
	c, emu := newTestClient(t, emulator.Config{})
	emu.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Link", `<https://elsewhere.example/repos/octo-org/service/code-scanning/alerts?page=2>; rel="next"`)
		_, _ = w.Write([]byte("[]"))
		return true
	})
	_, err := c.ListRepositoryAlerts(context.Background(), service, AlertFilter{})
	if err == nil || !strings.Contains(err.Error(), "leaves the API") {
		t.Fatalf("error = %v; want the foreign next link refused", err)
	}
}

// The filters only GitHub's newer documentation lists (severity, assignees, pr) are checked
// against every alert listed, so a server that ignores them yields the same list, with what it
// let through counted, as one that applies them.
func TestListRepositoryAlertsRechecksTheNewerFilters(t *testing.T) {
	t.Parallel()
	seed := func(emu *emulator.Emulator) {
		high := "high"
		emu.AddAlert("octo-org", "service", emulator.Alert{Rule: emulator.AlertRule{ID: "go/sql-injection", Severity: "error", SecuritySeverityLevel: &high}, Assignees: []string{"Hubot"}})
		emu.AddAlert("octo-org", "service", emulator.Alert{Rule: emulator.AlertRule{ID: "go/unused", Severity: "note"}})
		emu.AddAlert("octo-org", "service", emulator.Alert{Rule: emulator.AlertRule{ID: "go/pr-only", Severity: "warning"},
			Instances: []emulator.AlertInstance{{Ref: "refs/pull/7/merge"}}})
	}
	filters := []struct {
		filter AlertFilter
		param  string
		want   []string // rule IDs
		// wantIgnored, where it differs: a server that ignores pr lists the default branch's
		// alerts, none of which shows the pull request, so none is kept.
		wantIgnored []string
	}{
		{AlertFilter{Severity: "high"}, "severity", []string{"go/sql-injection"}, nil},
		{AlertFilter{Severity: "note"}, "severity", []string{"go/unused"}, nil},
		{AlertFilter{Assignees: "hubot"}, "assignees", []string{"go/sql-injection"}, nil},
		{AlertFilter{Assignees: "none"}, "assignees", []string{"go/unused"}, nil},
		{AlertFilter{PR: 7}, "pr", []string{"go/pr-only"}, []string{}},
	}
	for _, ignored := range []bool{false, true} {
		c, emu := newTestClient(t, emulator.Config{IgnoreNewerAlertFilters: ignored})
		seed(emu)
		for _, f := range filters {
			list, err := c.ListRepositoryAlerts(context.Background(), service, f.filter)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range list.Alerts {
				got = append(got, *a.Rule.ID)
			}
			want := f.want
			if ignored && f.wantIgnored != nil {
				want = f.wantIgnored
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("ignored=%v %+v: alerts %v; want %v", ignored, f.filter, got, want)
			}
			if left := list.LeftOut[f.param]; (left > 0) != ignored {
				t.Errorf("ignored=%v %+v: %d left out; want some only when the server ignores %s", ignored, f.filter, left, f.param)
			}
		}
	}
}

// TestEachRepositoryAlertHandsOnEachPageBeforeReadingTheNext: the caller sees a page's alerts
// before the next page is asked for (so it need not hold the list), in the order
// ListRepositoryAlerts gives; an error from the caller ends the list with that error, and no
// further page is read.
func TestEachRepositoryAlertHandsOnEachPageBeforeReadingTheNext(t *testing.T) {
	t.Parallel()
	c, emu := newTestClient(t, emulator.Config{})
	emu.SeedAlerts("octo-org", "service", 350, 4)
	ctx := context.Background()
	want, err := c.ListRepositoryAlerts(ctx, service, AlertFilter{})
	if err != nil || len(want.Alerts) < 300 {
		t.Fatalf("ListRepositoryAlerts = %d alerts, %v; the test needs more than 3 pages", len(want.Alerts), err)
	}
	emu.ResetRequests()
	var got []int
	if _, err := c.EachRepositoryAlert(ctx, service, AlertFilter{}, func(a Alert) error {
		if requests, page := len(emu.Requests()), len(got)/100+1; requests != page {
			t.Fatalf("alert %d (page %d) handed on after %d requests", len(got)+1, page, requests)
		}
		got = append(got, a.Number)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want.Alerts) {
		t.Fatalf("EachRepositoryAlert handed on %d alerts, ListRepositoryAlerts listed %d", len(got), len(want.Alerts))
	}
	for i, a := range want.Alerts {
		if got[i] != a.Number {
			t.Fatalf("alert %d is %d, ListRepositoryAlerts' %d", i, got[i], a.Number)
		}
	}

	emu.ResetRequests()
	stop := errors.New("enough")
	n := 0
	_, err = c.EachRepositoryAlert(ctx, service, AlertFilter{}, func(Alert) error {
		if n++; n == 150 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || len(emu.Requests()) != 2 {
		t.Fatalf("stopping at alert 150 gave %v after %d requests; want the caller's error after 2", err, len(emu.Requests()))
	}
}
