package emulator

import (
	"net/http"
	"testing"
)

func TestPatchValidation(t *testing.T) {
	t.Parallel()
	const langs = `["actions", "c-cpp", "csharp", "go", "java-kotlin", "javascript-typescript", "python", "ruby", "swift"]`
	tests := []struct {
		name    string
		current string // a PATCH applied first, "" for none
		body    string
		status  int
		message string
		// schemaRejects says whether GitHub's request schema rejects the body too; cross-field
		// rules are beyond what the schema can say.
		schemaRejects bool
	}{
		{name: "unknown key", body: `{"state":"configured","foo":1}`, status: 422,
			message: "Invalid request.\n\n\"foo\" is not a permitted key.", schemaRejects: true},
		{name: "state", body: `{"state":"enabled"}`, status: 422,
			message:       "Invalid request.\n\nFor 'properties/state', \"enabled\" is not one of [\"configured\", \"not-configured\"].",
			schemaRejects: true},
		{name: "query_suite", body: `{"query_suite":"bogus"}`, status: 422,
			message:       "Invalid request.\n\nFor 'properties/query_suite', \"bogus\" is not one of [\"default\", \"extended\"].",
			schemaRejects: true},
		{name: "threat_model", body: `{"threat_model":"local"}`, status: 422,
			message:       "Invalid request.\n\nFor 'properties/threat_model', \"local\" is not one of [\"remote\", \"remote_and_local\"].",
			schemaRejects: true},
		{name: "runner_type", body: `{"runner_type":"large"}`, status: 422,
			message:       "Invalid request.\n\nFor 'properties/runner_type', \"large\" is not one of [\"standard\", \"labeled\"].",
			schemaRejects: true},
		{name: "language", body: `{"languages":["go","cobol"]}`, status: 422,
			message: "Invalid request.\n\nFor 'items', \"cobol\" is not one of " + langs + ".", schemaRejects: true},
		{name: "retired language name", body: `{"languages":["javascript"]}`, status: 422,
			message: "Invalid request.\n\nFor 'items', \"javascript\" is not one of " + langs + ".", schemaRejects: true},
		{name: "languages not an array", body: `{"languages":"go"}`, status: 422,
			message: "Invalid request.\n\nFor 'properties/languages', \"go\" is not an array.", schemaRejects: true},
		{name: "state not a string", body: `{"state":true}`, status: 422,
			message: "Invalid request.\n\nFor 'properties/state', true is not a string.", schemaRejects: true},
		{name: "runner_type null", body: `{"runner_type":null}`, status: 422,
			message: "Invalid request.\n\nFor 'properties/runner_type', null is not a string.", schemaRejects: true},
		{name: "several problems, one line each", body: `{"zzz":1,"query_suite":"x"}`, status: 422,
			message: "Invalid request.\n\nFor 'properties/query_suite', \"x\" is not one of [\"default\", \"extended\"].\n" +
				"\"zzz\" is not a permitted key.", schemaRejects: true},
		{name: "body not an object", body: `["state"]`, status: 422,
			message: "Invalid request.\n\nFor 'links/0/schema', [\"state\"] is not an object.", schemaRejects: true},
		{name: "runner_label without labeled runners", body: `{"state":"configured","runner_label":"big"}`, status: 422,
			message: "Invalid request.\n\nrunner_label can only be set when runner_type is \"labeled\"."},
		{name: "runner_label while standard runners stay", current: `{"state":"configured"}`,
			body: `{"runner_label":"big"}`, status: 422,
			message: "Invalid request.\n\nrunner_label can only be set when runner_type is \"labeled\"."},
		{name: "labeled without a label", body: `{"state":"configured","runner_type":"labeled"}`, status: 422,
			message: "Invalid request.\n\nrunner_label is required when runner_type is \"labeled\"."},
		{name: "labeled with an empty label", body: `{"state":"configured","runner_type":"labeled","runner_label":""}`,
			status: 422, message: "Invalid request.\n\nrunner_label is required when runner_type is \"labeled\"."},
		{name: "no languages", body: `{"state":"configured","languages":[]}`, status: 422,
			message: "Invalid request.\n\nNo CodeQL-supported languages to analyze: none were given and none were detected in this repository."},
		{name: "malformed JSON", body: `{"state":`, status: 400, message: msgProblemsParsingJSON, schemaRejects: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newTestAPI(t, Config{}, scanned("app"))
			if tt.current != "" {
				a.patchSetup(tt.current, http.StatusAccepted)
			}
			before, _ := a.emu.DefaultSetup("octo-org", "app")
			got := a.do("PATCH", setupPath, tt.body)
			got.expectError(t, tt.status, tt.message)
			if (got.requestErr != nil) != tt.schemaRejects {
				t.Errorf("GitHub's request schema says %v; want rejected=%v", got.requestErr, tt.schemaRejects)
			}
			if after, _ := a.emu.DefaultSetup("octo-org", "app"); !sameConfiguration(before, after) {
				t.Errorf("a refused PATCH changed the configuration from %+v to %+v", before, after)
			}
		})
	}
}

func TestPatchAcceptsWhatTheSchemaAllows(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"state":"configured","languages":["go"],"query_suite":"extended","threat_model":"remote_and_local"}`,
		`{"state":"configured","runner_type":"labeled","runner_label":"code-scanning"}`,
		`{"state":"configured","runner_type":"standard","runner_label":null}`,
	} {
		a := newTestAPI(t, Config{}, scanned("app"))
		if got := a.do("PATCH", setupPath, body); got.status != http.StatusAccepted || got.requestErr != nil {
			t.Errorf("PATCH %s: status %d (request error %v); body %s", body, got.status, got.requestErr, got.body)
		}
	}
}

// TestPatchRequiresABody follows the contract, which marks the request body required.
func TestPatchRequiresABody(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	got := a.do("PATCH", setupPath, "")
	got.expectError(t, http.StatusBadRequest, msgProblemsParsingJSON)
	if got.requestErr == nil {
		t.Error("the contract accepts a PATCH without a body")
	}
}
