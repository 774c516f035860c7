package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
)

// setupChange is a PATCH body that passed GitHub's schema. A nil field was not given.
type setupChange struct {
	state, querySuite, threatModel, runnerType *string
	languages                                  *[]string
	runnerLabelGiven                           bool
	runnerLabel                                *string // nil when given as null or ""
}

// invalidRequest is GitHub's 422 for a body that breaks the request schema: one line per problem
// under a fixed heading.
func invalidRequest(problems ...string) answer {
	return invalidRequestFor(docsUpdateDefaultSetup, problems...)
}

// invalidRequestFor is invalidRequest for the operation documented at docsURL.
func invalidRequestFor(docsURL string, problems ...string) answer {
	return errorAnswer(http.StatusUnprocessableEntity,
		"Invalid request.\n\n"+strings.Join(problems, "\n"), docsURL)
}

// parseSetupChange checks a PATCH body against the operation's schema (additionalProperties
// false, the enums, nullable runner_label) and words each problem as GitHub does, e.g.
// For 'properties/query_suite', "bogus" is not one of ["default", "extended"].
func parseSetupChange(body []byte) (setupChange, answer, bool) {
	var ch setupChange
	// The body is required, so an empty one is as unparseable as a truncated one.
	if !json.Valid(body) {
		return ch, errorAnswer(http.StatusBadRequest, msgProblemsParsingJSON, docsUpdateDefaultSetup), false
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return ch, invalidRequest(fmt.Sprintf("For 'links/0/schema', %s is not an object.", compactJSON(body))), false
	}

	var problems []string
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		raw := fields[key]
		var problem string
		switch key {
		case "state":
			ch.state, problem = enumField(key, raw, setupStates)
		case "query_suite":
			ch.querySuite, problem = enumField(key, raw, querySuites)
		case "threat_model":
			ch.threatModel, problem = enumField(key, raw, threatModels)
		case "runner_type":
			ch.runnerType, problem = enumField(key, raw, runnerTypes)
		case "runner_label":
			ch.runnerLabelGiven = true
			ch.runnerLabel, problem = nullableStringField(key, raw)
		case "languages":
			ch.languages, problem = languagesField(raw)
		default:
			problem = fmt.Sprintf("%q is not a permitted key.", key)
		}
		if problem != "" {
			problems = append(problems, problem)
		}
	}
	if len(problems) > 0 {
		return setupChange{}, invalidRequest(problems...), false
	}
	return ch, answer{}, true
}

func enumField(key string, raw json.RawMessage, allowed []string) (*string, string) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil || isJSONNull(raw) {
		return nil, fmt.Sprintf("For 'properties/%s', %s is not a string.", key, compactJSON(raw))
	}
	if !slices.Contains(allowed, s) {
		return nil, fmt.Sprintf("For 'properties/%s', %s is not one of %s.", key, compactJSON(raw), enumList(allowed))
	}
	return &s, ""
}

func nullableStringField(key string, raw json.RawMessage) (*string, string) {
	if isJSONNull(raw) {
		return nil, ""
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Sprintf("For 'properties/%s', %s is not a string.", key, compactJSON(raw))
	}
	if s == "" {
		return nil, ""
	}
	return &s, ""
}

func languagesField(raw json.RawMessage) (*[]string, string) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil || isJSONNull(raw) {
		return nil, fmt.Sprintf("For 'properties/languages', %s is not an array.", compactJSON(raw))
	}
	langs := make([]string, 0, len(items))
	for _, item := range items {
		var s string
		if err := json.Unmarshal(item, &s); err != nil || isJSONNull(item) {
			return nil, fmt.Sprintf("For 'items', %s is not a string.", compactJSON(item))
		}
		if !slices.Contains(codeQLLanguages, s) {
			return nil, fmt.Sprintf("For 'items', %s is not one of %s.", compactJSON(item), enumList(codeQLLanguages))
		}
		langs = append(langs, s)
	}
	return &langs, ""
}

// enumList renders allowed values as GitHub's messages do: ["default", "extended"].
func enumList(allowed []string) string {
	quoted := make([]string, len(allowed))
	for i, v := range allowed {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

func compactJSON(raw []byte) string {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return string(raw)
	}
	return buf.String()
}

func isJSONNull(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "null"
}
