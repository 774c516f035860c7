package githubclient

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// SARIFMediaType is the media type that asks GitHub for an analysis as its SARIF log rather than
// as a summary.
const SARIFMediaType = "application/sarif+json"

// Analysis is one code scanning analysis: one tool's run over one ref in one category. The
// client's own type, as Alert is, so that callers read plain values rather than go-github's
// pointers; the tool is the same object GitHub gives alerts.
type Analysis struct {
	ID           int64      `json:"id"`
	Ref          string     `json:"ref"`
	CommitSHA    string     `json:"commit_sha"`
	AnalysisKey  string     `json:"analysis_key"`
	Environment  string     `json:"environment"`
	Category     string     `json:"category"`
	Error        string     `json:"error"`
	Warning      string     `json:"warning"`
	CreatedAt    *time.Time `json:"created_at"`
	ResultsCount int        `json:"results_count"`
	RulesCount   int        `json:"rules_count"`
	URL          string     `json:"url"`
	SarifID      string     `json:"sarif_id"`
	Tool         AlertTool  `json:"tool"`
	// Deletable is true only for the most recent analysis of its set (ref, tool, category).
	Deletable bool `json:"deletable"`
}

// AnalysisFilter narrows an analysis list; empty fields are not sent. Max caps how many analyses
// are read (0: all of them).
type AnalysisFilter struct {
	ToolName, ToolGUID, Ref, SarifID, Sort, Direction string
	PR                                                int
	Max                                               int
}

func (f AnalysisFilter) query() url.Values {
	return filterQuery(map[string]string{
		"tool_name": f.ToolName, "tool_guid": f.ToolGUID, "ref": f.Ref, "sarif_id": f.SarifID,
		"sort": f.Sort, "direction": f.Direction,
	}, f.PR)
}

// ListAnalyses reads a repository's code scanning analyses, every page of them. A repository
// code scanning never analyzed has none, though GitHub answers 404 "no analysis found".
func (c *Client) ListAnalyses(ctx context.Context, repo Repository, filter AnalysisFilter) ([]Analysis, error) {
	analyses, err := listPages[Analysis](ctx, c, "list code scanning analyses", repo, repo.path("/code-scanning/analyses"), filter.query(), filter.Max)
	if IsNoAnalysis(err) {
		return []Analysis{}, nil
	}
	return analyses, err
}

// GetAnalysis reads one analysis.
func (c *Client) GetAnalysis(ctx context.Context, repo Repository, id int64) (*Analysis, error) {
	return get[Analysis](ctx, c, fmt.Sprintf("read code scanning analysis %d", id), repo, repo.path(fmt.Sprintf("/code-scanning/analyses/%d", id)))
}

// GetAnalysisSARIF reads one analysis as the SARIF 2.1.0 log of its results, exactly as GitHub
// sends it.
func (c *Client) GetAnalysisSARIF(ctx context.Context, repo Repository, id int64) ([]byte, error) {
	req, err := c.newRequest(http.MethodGet, repo.path(fmt.Sprintf("/code-scanning/analyses/%d", id)), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", SARIFMediaType)
	// go-github copies the body into an io.Writer as it is, rather than decoding it.
	var sarif bytes.Buffer
	if err := c.do(ctx, fmt.Sprintf("read code scanning analysis %d as SARIF", id), repo, req, &sarif); err != nil {
		return nil, err
	}
	return sarif.Bytes(), nil
}
