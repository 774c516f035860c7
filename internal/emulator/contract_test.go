package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/apicontract"
)

// contractBase stands for every test server's base URL in requests checked against the contract.
const contractBase = apicontract.Base

// descriptionFor names the description of the server an emulator with this EnterpriseVersion
// plays.
func descriptionFor(enterpriseVersion string) string {
	return apicontract.DescriptionFor(enterpriseVersion)
}

// loadContract parses github.com's description; contractFor any server's.
func loadContract() (*apicontract.Contract, error) { return contractFor("") }

func contractFor(enterpriseVersion string) (*apicontract.Contract, error) {
	return apicontract.Load("testdata", descriptionFor(enterpriseVersion))
}

// operationOf names the operation of github.com's description that method and path (relative to
// the base URL) call, as "GET /repos/{owner}/{repo}".
func operationOf(t *testing.T, method, path string) string {
	t.Helper()
	c, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	op := c.CheckRequest(newContractRequest(t, method, path, ""), nil).Operation
	if op == "" {
		t.Fatalf("%s %s names no operation of the description", method, path)
	}
	return op
}

// checkContract reports, as test errors, an answer that breaks the contract and a success answer
// to a request the contract rejects. It returns the contract's verdict on the request, so a test
// of a 422 can also show that the schema agrees.
func checkContract(t *testing.T, enterpriseVersion, base string, req *http.Request, reqBody []byte, r response) error {
	t.Helper()
	c, err := contractFor(enterpriseVersion)
	if err != nil {
		t.Fatalf("loading the OpenAPI description %s: %v", descriptionFor(enterpriseVersion), err)
	}
	checked := req // a request outside the base (a missing prefix) is checked where it went
	if rest, ok := strings.CutPrefix(req.URL.String(), base); ok {
		if checked, err = apicontract.Rebase(req, rest); err != nil {
			t.Fatal(err)
		}
	}
	v := c.Check(checked, reqBody, r.status, r.header, r.body)
	if v.Response != nil {
		t.Errorf("%s %s answered %d, which breaks the contract: %v\nbody: %s",
			req.Method, req.URL.Path, r.status, v.Response, r.body)
	}
	if v.Request != nil && r.status < 300 {
		t.Errorf("%s %s answered %d to a request the contract rejects: %v", req.Method, req.URL.Path, r.status, v.Request)
	}
	return v.Request
}

// startRun enables default setup through the API and returns the run's id.
func startRun(a *testAPI) string {
	a.t.Helper()
	got := a.do("PATCH", "repos/octo-org/app/code-scanning/default-setup", `{"state":"configured"}`)
	if got.status != http.StatusAccepted {
		a.t.Fatalf("enabling: status %d, body %s", got.status, got.body)
	}
	return jsonNumber(got.object(a.t)["run_id"])
}

func jsonNumber(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func newContractRequest(t *testing.T, method, path, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, contractBase+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// withField returns the JSON object body with key set to value, or removed.
func withField(t *testing.T, body []byte, key string, value any, remove bool) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	if remove {
		delete(m, key)
	} else {
		m[key] = value
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// withFirstItemField is withField for the first object of a JSON array.
func withFirstItemField(t *testing.T, body []byte, key string, value any, remove bool) []byte {
	t.Helper()
	var items []json.RawMessage
	if err := json.Unmarshal(body, &items); err != nil || len(items) == 0 {
		t.Fatalf("body %s is not a non-empty array: %v", body, err)
	}
	items[0] = withField(t, items[0], key, value, remove)
	out, err := json.Marshal(items)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
