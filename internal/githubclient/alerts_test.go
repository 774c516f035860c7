package githubclient

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

func TestListRepositoryAlertsOfANeverAnalyzedRepositoryIsEmpty(t *testing.T) {
	t.Parallel()
	c, _ := newTestClient(t, emulator.Config{})
	alerts, err := c.ListRepositoryAlerts(context.Background(), service, AlertFilter{})
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
	all, err := c.ListRepositoryAlerts(context.Background(), service, AlertFilter{State: "open"})
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
	if err != nil || len(capped) != 150 {
		t.Fatalf("Max 150 gave %d alerts, %v", len(capped), err)
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
