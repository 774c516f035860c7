package githubclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// seedAnalyses adds n analyses to octo-org/service, a minute apart, across three refs, two
// tools and uploads of ten analyses each, and returns them with their ids: the oracle the
// client is checked against.
func seedAnalyses(t *testing.T, emu *emulator.Emulator, n int) []emulator.Analysis {
	t.Helper()
	start := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	extGUID := "3b6e1c27-ext-scan"
	var out []emulator.Analysis
	for i := range n {
		a := emulator.Analysis{
			Ref:       []string{"refs/heads/main", "refs/heads/main", "refs/heads/dev", "refs/pull/3/merge"}[i%4],
			Category:  "/language:go",
			CreatedAt: start.Add(time.Duration(i) * time.Minute),
			SarifID:   fmt.Sprintf("6c81cd8e-b078-4ac3-a3be-%012d", i/10),
		}
		if i%3 == 0 {
			a.Tool = emulator.AlertTool{Name: "ExtScan", Version: "1.2.3", GUID: &extGUID}
		}
		a.ID = emu.AddAnalysis("octo-org", "service", a)
		if a.ID == 0 {
			t.Fatal("AddAnalysis found no octo-org/service")
		}
		out = append(out, a)
	}
	return out
}

func TestListAnalysesOfANeverAnalyzedRepositoryIsEmpty(t *testing.T) {
	t.Parallel()
	c, _ := newTestClient(t, emulator.Config{})
	analyses, err := c.ListAnalyses(context.Background(), service, AnalysisFilter{})
	if err != nil || analyses == nil || len(analyses) != 0 {
		t.Fatalf("ListAnalyses = %v, %v; want an empty list for GitHub's 404 no analysis found", analyses, err)
	}
	if _, err := c.ListAnalyses(context.Background(), Repository{"octo-org", "missing"}, AnalysisFilter{}); !IsNotFound(err) {
		t.Fatalf("a missing repository gave %v; want its 404", err)
	}
	if _, err := c.ListAnalyses(context.Background(), Repository{"octo-org", "locked"}, AnalysisFilter{}); StatusCode(err) != http.StatusForbidden {
		t.Fatalf("a repository without Advanced Security gave %v; want its 403", err)
	}
}

func TestListAnalysesFollowsEveryPageAndAppliesEachFilter(t *testing.T) {
	t.Parallel()
	c, emu := newTestClient(t, emulator.Config{})
	seeded := seedAnalyses(t, emu, 260)
	ids := func(keep func(emulator.Analysis) bool) []int64 {
		var out []int64
		for i := len(seeded) - 1; i >= 0; i-- { // newest first, GitHub's default
			if keep(seeded[i]) {
				out = append(out, seeded[i].ID)
			}
		}
		return out
	}
	all := func(emulator.Analysis) bool { return true }
	allIDs := ids(all)
	oldestFirst := slices.Clone(allIDs)
	slices.Reverse(oldestFirst)
	upload := seeded[42].SarifID
	cases := []struct {
		name   string
		filter AnalysisFilter
		want   []int64
	}{
		{"every page", AnalysisFilter{}, allIDs},
		{"oldest first", AnalysisFilter{Direction: "asc", Sort: "created"}, oldestFirst},
		{"at most 150", AnalysisFilter{Max: 150}, allIDs[:150]},
		{"by tool name", AnalysisFilter{ToolName: "ExtScan"}, ids(func(a emulator.Analysis) bool { return a.Tool.Name == "ExtScan" })},
		{"by tool guid", AnalysisFilter{ToolGUID: "3b6e1c27-ext-scan"}, ids(func(a emulator.Analysis) bool { return a.Tool.Name == "ExtScan" })},
		{"by ref", AnalysisFilter{Ref: "refs/heads/dev"}, ids(func(a emulator.Analysis) bool { return a.Ref == "refs/heads/dev" })},
		{"by branch name", AnalysisFilter{Ref: "main"}, ids(func(a emulator.Analysis) bool { return a.Ref == "refs/heads/main" })},
		{"by pull request", AnalysisFilter{PR: 3}, ids(func(a emulator.Analysis) bool { return a.Ref == "refs/pull/3/merge" })},
		{"by upload", AnalysisFilter{SarifID: upload}, ids(func(a emulator.Analysis) bool { return a.SarifID == upload })},
	}
	for _, tc := range cases {
		if len(tc.want) == 0 {
			t.Fatalf("%s: the seed has no analysis for this filter; the case would prove nothing", tc.name)
		}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// One emulator serves every case, so each counts its requests by its own query.
			got, err := c.ListAnalyses(context.Background(), service, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			gotIDs := make([]int64, len(got))
			for i, a := range got {
				gotIDs[i] = a.ID
			}
			if !slices.Equal(gotIDs, tc.want) {
				t.Fatalf("ListAnalyses(%+v) gave %d analyses %v...; want %d %v...", tc.filter, len(gotIDs), head(gotIDs), len(tc.want), head(tc.want))
			}
		})
	}
	emu.ResetRequests()
	if _, err := c.ListAnalyses(context.Background(), service, AnalysisFilter{}); err != nil {
		t.Fatal(err)
	}
	for _, r := range emu.Requests() {
		if !strings.Contains(r.RawQuery, "per_page=100") {
			t.Errorf("request %s?%s does not ask for 100 a page", r.Path, r.RawQuery)
		}
	}
	if n := len(emu.Requests()); n != 3 {
		t.Errorf("%d requests for 260 analyses; want 3 at 100 a page", n)
	}
}

func head(ids []int64) []int64 { return ids[:min(len(ids), 5)] }

func TestGetAnalysisReadsItsSummaryAndItsSARIF(t *testing.T) {
	t.Parallel()
	c, emu := newTestClient(t, emulator.Config{})
	seeded := seedAnalyses(t, emu, 8)
	want := seeded[3] // ExtScan on the pull request, not the newest of its set
	ctx := context.Background()

	got, err := c.GetAnalysis(ctx, service, want.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != want.ID || got.Ref != "refs/pull/3/merge" || got.Tool.Name == nil || *got.Tool.Name != "ExtScan" ||
		got.Tool.GUID == nil || *got.Tool.GUID != "3b6e1c27-ext-scan" || got.SarifID != want.SarifID || got.CreatedAt == nil ||
		!got.CreatedAt.Equal(want.CreatedAt) || got.CommitSHA == "" || !strings.HasSuffix(got.URL, fmt.Sprintf("/code-scanning/analyses/%d", want.ID)) {
		t.Fatalf("GetAnalysis = %+v; want analysis %+v", got, want)
	}

	emu.ResetRequests()
	sarif, err := c.GetAnalysisSARIF(ctx, service, want.ID)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name string `json:"name"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(sarif, &log); err != nil || log.Version != "2.1.0" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name != "ExtScan" {
		t.Fatalf("GetAnalysisSARIF = %s, %v; want a SARIF 2.1.0 log of one ExtScan run", sarif, err)
	}
	if reqs := emu.Requests(); len(reqs) != 1 || reqs[0].Header.Get("Accept") != SARIFMediaType {
		t.Fatalf("requests %+v; want one asking for %s", reqs, SARIFMediaType)
	}

	// The summary and the SARIF of one URL are cached apart: reading one never answers the other.
	again, err := c.GetAnalysis(ctx, service, want.ID)
	if err != nil || again.ID != want.ID {
		t.Fatalf("GetAnalysis after the SARIF = %+v, %v", again, err)
	}

	if _, err := c.GetAnalysis(ctx, service, 999999); !IsNotFound(err) || !strings.Contains(err.Error(), "read code scanning analysis 999999 of octo-org/service") {
		t.Fatalf("a missing analysis gave %v; want a 404 naming it", err)
	}
	if _, err := c.GetAnalysisSARIF(ctx, service, 999999); !IsNotFound(err) {
		t.Fatalf("the SARIF of a missing analysis gave %v; want a 404", err)
	}
}
