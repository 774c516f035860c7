package emulator

import (
	"cmp"
	"encoding/json"
	"fmt"
	"strings"
)

// The SARIF 2.1.0 subset code scanning reads from an upload and writes for an analysis: tools
// and their rules, results with a location, and the category (automationDetails). Everything
// else a log may hold is ignored on the way in.

const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	// maxSarifRuns is GitHub's limit on runs per upload; a log with more is rejected.
	maxSarifRuns = 20
)

type sarifLog struct {
	Schema  string      `json:"$schema,omitempty"`
	Version string      `json:"version"`
	Runs    *[]sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool                     sarifTool               `json:"tool"`
	Results                  []sarifResult           `json:"results"`
	AutomationDetails        *sarifAutomationDetails `json:"automationDetails,omitempty"`
	VersionControlProvenance []map[string]any        `json:"versionControlProvenance,omitempty"`
	Properties               map[string]any          `json:"properties,omitempty"`
}

type sarifTool struct {
	Driver *sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	Version         string      `json:"version,omitempty"`
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	GUID            string      `json:"guid,omitempty"`
	Rules           []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string              `json:"id"`
	Name                 string              `json:"name,omitempty"`
	ShortDescription     *sarifMessage       `json:"shortDescription,omitempty"`
	FullDescription      *sarifMessage       `json:"fullDescription,omitempty"`
	Help                 *sarifMessage       `json:"help,omitempty"`
	DefaultConfiguration *sarifConfiguration `json:"defaultConfiguration,omitempty"`
	Properties           sarifRuleProperties `json:"properties"`
}

type sarifConfiguration struct {
	Level string `json:"level,omitempty"`
}

type sarifRuleProperties struct {
	Tags             []string `json:"tags,omitempty"`
	SecuritySeverity string   `json:"security-severity,omitempty"`
}

type sarifMessage struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifAutomationDetails struct {
	ID string `json:"id"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId,omitempty"`
	RuleIndex           *int              `json:"ruleIndex,omitempty"`
	Rule                *sarifRuleRef     `json:"rule,omitempty"`
	Level               string            `json:"level,omitempty"`
	Message             *sarifMessage     `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
	Properties          map[string]any    `json:"properties,omitempty"`
}

type sarifRuleRef struct {
	ID    string `json:"id,omitempty"`
	Index *int   `json:"index,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           sarifRegion           `json:"region"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	StartColumn int `json:"startColumn,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

// securityScore is the security-severity GitHub's levels stand for: the middle of each band of
// the CVSS-like score GitHub maps to a level (critical above 9.0, high from 7.0, medium from 4.0,
// low above 0.0).
var securityScore = map[string]string{"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "2.0"}

// sarifRuleLevel is the SARIF level of a GitHub rule severity; they share their names.
func sarifRuleLevel(severity string) string { return cmp.Or(severity, "warning") }

// analysisSARIF is the SARIF 2.1.0 log of an analysis: one run of its tool, the rules of its
// results, and a result for each alert it reports, with GitHub's github/alertNumber and
// github/alertUrl properties. Callers hold the lock.
func analysisSARIF(st *repoState, a *Analysis, apiBase, webBase string) []byte {
	driver := &sarifDriver{Name: a.Tool.Name, SemanticVersion: a.Tool.Version, Rules: []sarifRule{}}
	if a.Tool.GUID != nil {
		driver.GUID = *a.Tool.GUID
	}
	ruleIndex := map[string]int{}
	results := []sarifResult{}
	for _, number := range sortedAlertNumbers(st) {
		al := st.alerts.byNumber[number]
		in, ok := a.reports(al)
		if !ok {
			continue
		}
		i, known := ruleIndex[al.Rule.ID]
		if !known {
			i = len(driver.Rules)
			ruleIndex[al.Rule.ID] = i
			driver.Rules = append(driver.Rules, sarifRuleOf(al.Rule))
		}
		results = append(results, sarifResult{
			RuleID:    al.Rule.ID,
			RuleIndex: ptr(i),
			Rule:      &sarifRuleRef{ID: al.Rule.ID, Index: ptr(i)},
			Message:   &sarifMessage{Text: in.Message},
			Locations: []sarifLocation{{PhysicalLocation: &sarifPhysicalLocation{
				ArtifactLocation: sarifArtifactLocation{URI: in.Path, URIBaseID: "%SRCROOT%"},
				Region: sarifRegion{StartLine: in.StartLine, EndLine: in.EndLine,
					StartColumn: in.StartColumn, EndColumn: in.EndColumn},
			}}},
			PartialFingerprints: map[string]string{
				"primaryLocationLineHash": fakeSHA(fmt.Sprintf("fingerprint:%s:%s:%d", al.Rule.ID, in.Path, in.StartLine),
					st.repo)[:16] + ":1",
			},
			Properties: map[string]any{
				"github/alertNumber": al.Number,
				"github/alertUrl":    alertURL(st, al.Number, apiBase),
			},
		})
	}
	runs := []sarifRun{{
		Tool:              sarifTool{Driver: driver},
		Results:           results,
		AutomationDetails: &sarifAutomationDetails{ID: a.Category + "/"},
		VersionControlProvenance: []map[string]any{{
			"repositoryUri": webBase + repoPath(st.repo),
			"revisionId":    a.CommitSHA,
			"branch":        a.Ref,
		}},
	}}
	out, err := json.Marshal(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: &runs})
	if err != nil {
		return []byte(`{}`) // only a programming error gets here; every field above encodes
	}
	return out
}

func sarifRuleOf(r AlertRule) sarifRule {
	out := sarifRule{
		ID:                   r.ID,
		Name:                 r.Name,
		ShortDescription:     &sarifMessage{Text: r.Description},
		FullDescription:      &sarifMessage{Text: cmp.Or(r.FullDescription, r.Description)},
		DefaultConfiguration: &sarifConfiguration{Level: sarifRuleLevel(r.Severity)},
		Properties:           sarifRuleProperties{Tags: r.Tags},
	}
	if r.Help != "" {
		out.Help = &sarifMessage{Text: r.Help, Markdown: r.Help}
	}
	if r.SecuritySeverityLevel != nil {
		out.Properties.SecuritySeverity = securityScore[*r.SecuritySeverityLevel]
	}
	return out
}

// sarifAnalysis is what one run of an uploaded log adds: an analysis, and how many of its results
// code scanning kept.
type sarifAnalysis struct {
	tool       AlertTool
	category   string
	rulesCount int
	results    int
	skipped    int // results dropped for want of a location
}

// readSarif checks a decoded log and returns what each run adds, or the errors that fail the
// upload. Some problems fail every upload (a log code scanning cannot read); with validate, so
// do results it would otherwise drop or guess at.
func readSarif(log sarifLog, validate bool) ([]sarifAnalysis, []string) {
	switch {
	case log.Version != sarifVersion:
		return nil, []string{fmt.Sprintf("Invalid SARIF: version %q is not supported; use %q.", log.Version, sarifVersion)}
	case log.Runs == nil:
		return nil, []string{`Invalid SARIF: the log has no "runs" property.`}
	case len(*log.Runs) > maxSarifRuns:
		return nil, []string{fmt.Sprintf("Invalid SARIF: %d runs is more than the %d allowed in one upload.",
			len(*log.Runs), maxSarifRuns)}
	}
	var out []sarifAnalysis
	var errs []string
	for r, run := range *log.Runs {
		if run.Tool.Driver == nil || run.Tool.Driver.Name == "" {
			errs = append(errs, fmt.Sprintf("Invalid SARIF: runs[%d].tool.driver.name is missing.", r))
			continue
		}
		d := run.Tool.Driver
		tool := AlertTool{Name: d.Name, Version: cmp.Or(d.SemanticVersion, d.Version)}
		if d.GUID != "" {
			tool.GUID = ptr(d.GUID)
		}
		an := sarifAnalysis{tool: tool, category: d.Name, rulesCount: len(d.Rules)}
		if run.AutomationDetails != nil && run.AutomationDetails.ID != "" {
			// GitHub's category is the id up to its last slash, or all of it if it has none.
			id := run.AutomationDetails.ID
			if i := strings.LastIndex(id, "/"); i > 0 {
				id = id[:i]
			}
			an.category = id
		}
		rules := map[string]sarifRule{}
		for _, rule := range d.Rules {
			rules[rule.ID] = rule
		}
		for i, res := range run.Results {
			where := fmt.Sprintf("runs[%d].results[%d]", r, i)
			ruleID := res.RuleID
			if ruleID == "" && res.Rule != nil {
				ruleID = res.Rule.ID
			}
			index := res.RuleIndex
			if index == nil && res.Rule != nil {
				index = res.Rule.Index
			}
			if ruleID == "" && index != nil && *index >= 0 && *index < len(d.Rules) {
				ruleID = d.Rules[*index].ID
			}
			_, declared := rules[ruleID]
			var loc *sarifPhysicalLocation
			if len(res.Locations) > 0 {
				loc = res.Locations[0].PhysicalLocation
			}
			switch {
			case ruleID == "":
				errs = append(errs, where+": the result names no rule.")
				continue
			case res.Message == nil || res.Message.Text == "":
				errs = append(errs, where+": the result has no message text.")
				continue
			case loc == nil || loc.ArtifactLocation.URI == "":
				if validate {
					errs = append(errs, where+": expected at least one location.")
				}
				an.skipped++
				continue
			case !declared && validate:
				errs = append(errs, fmt.Sprintf("%s: rule %q is not declared in tool.driver.rules.", where, ruleID))
				continue
			}
			an.results++
		}
		out = append(out, an)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}
