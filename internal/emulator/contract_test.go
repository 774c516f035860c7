package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/netsim"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// contract is GitHub's OpenAPI description of the operations the emulator serves, for one server
// (see testdata/README.md), with a router for requests made to contractBase.
type contract struct {
	mu         sync.Mutex // validation fills caches inside the document; parallel tests take turns
	router     routers.Router
	basicError *openapi3.Schema
}

// descriptionFor names the description of the server that cfg.EnterpriseVersion makes the
// emulator: github.com's, or that of the GHES release ("3.17.2" is ghes-3.17.json). A release
// with no description here has none, so a test of it fails rather than check against another.
func descriptionFor(enterpriseVersion string) string {
	if enterpriseVersion == "" {
		return "api.github.com.json"
	}
	parts := strings.SplitN(enterpriseVersion, ".", 3)
	if len(parts) < 2 {
		return "ghes-" + enterpriseVersion + ".json"
	}
	return "ghes-" + parts[0] + "." + parts[1] + ".json"
}

// loadContract parses github.com's description; contractFor any server's.
func loadContract() (*contract, error) { return contractFor("") }

// contracts holds each description, parsed once: it takes a noticeable fraction of a second.
var contracts sync.Map // file name -> func() (*contract, error)

func contractFor(enterpriseVersion string) (*contract, error) {
	file := descriptionFor(enterpriseVersion)
	load, _ := contracts.LoadOrStore(file, sync.OnceValues(func() (*contract, error) { return parseContract(file) }))
	return load.(func() (*contract, error))() //nolint:forcetypeassert // only this function stores
}

func parseContract(file string) (*contract, error) {
	doc, err := openapi3.NewLoader().LoadFromFile("testdata/" + file)
	if err != nil {
		return nil, err
	}
	doc.Servers = openapi3.Servers{{URL: strings.TrimSuffix(contractBase, "/")}}
	// GitHub's own examples do not all match its schemas; they are not what is under test.
	router, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation())
	if err != nil {
		return nil, err
	}
	basic := doc.Paths.Value("/repos/{owner}/{repo}").Get.Responses.Status(http.StatusNotFound)
	return &contract{router: router, basicError: basic.Value.Content.Get("application/json").Schema.Value}, nil
}

// contractBase stands for every test server's base URL: each test server has its own port and
// some their own prefix, and requests are rebased onto this one before routing.
const contractBase = "http://127.0.0.1/api-v3/"

// contractFormats makes the validator check the formats GitHub's schemas use beyond OpenAPI's own,
// so that a relative URL where GitHub promises an absolute one is caught. A file URI has no host
// (a SARIF upload's checkout_uri is "file:///home/runner/work/...").
var contractFormats = []openapi3.SchemaValidationOption{
	openapi3.WithStringFormatValidator("uri", openapi3.NewCallbackValidator(func(s string) error {
		if u, err := url.Parse(s); err != nil || !u.IsAbs() || (u.Host == "" && u.Scheme != "file") {
			return errors.New("not an absolute URI")
		}
		return nil
	})),
	openapi3.WithStringFormatValidator("email", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForEmail)),
}

// verdict is what the contract says about one exchange.
type verdict struct {
	routed   bool  // the request names an operation in the description
	request  error // nil if the request is valid for its operation
	response error // nil if the answer is valid for its operation and status
}

func (c *contract) check(req *http.Request, reqBody []byte, status int, header http.Header, body []byte) verdict {
	c.mu.Lock()
	defer c.mu.Unlock()
	ctx := context.Background()
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		// Unknown to the description (a missing prefix, say): the answer must still be an error
		// shaped like GitHub's.
		return verdict{response: c.checkBasicError(status, body)}
	}
	r := req.Clone(ctx)
	r.Body = io.NopCloser(bytes.NewReader(reqBody))
	in := &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
			SchemaValidationOptions: contractFormats,
		},
	}
	v := verdict{routed: true, request: openapi3filter.ValidateRequest(ctx, in)}
	if route.Operation.Responses.Status(status) == nil {
		// GitHub answers 400 and 401 on every operation but documents them on none.
		v.response = c.checkBasicError(status, body)
		return v
	}
	v.response = openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{
			IncludeResponseStatus:   true,
			SchemaValidationOptions: contractFormats,
		},
	})
	return v
}

func (c *contract) checkBasicError(status int, body []byte) error {
	if status < 400 {
		return errors.New("a success answer to a request the description does not know")
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	return c.basicError.VisitJSON(v, contractFormats...)
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
	rebased := req.Clone(context.Background())
	if rest, ok := strings.CutPrefix(req.URL.String(), base); ok {
		if rebased.URL, err = url.Parse(contractBase + rest); err != nil {
			t.Fatal(err)
		}
	}
	v := c.check(rebased, reqBody, r.status, r.header, r.body)
	if v.response != nil {
		t.Errorf("%s %s answered %d, which breaks the contract: %v\nbody: %s",
			req.Method, req.URL.Path, r.status, v.response, r.body)
	}
	if v.request != nil && r.status < 300 {
		t.Errorf("%s %s answered %d to a request the contract rejects: %v", req.Method, req.URL.Path, r.status, v.request)
	}
	return v.request
}

// TestContractCoversEveryAnswer provokes each answer each served operation can give; testAPI.do
// validates every one of them (and the request that provoked it) against the description.
func TestContractCoversEveryAnswer(t *testing.T) {
	t.Parallel()
	const runsPath = "repos/octo-org/app/actions/runs/"
	slow := Config{RunQueued: time.Hour, RunInProgress: time.Hour}
	type contractCase struct {
		name   string
		cfg    Config
		repo   Repository
		before func(a *testAPI) string // returns a path suffix, e.g. a run id
		method string
		path   string
		body   string
		want   int
	}
	tests := []contractCase{
		{name: "repository", method: "GET", path: "repos/octo-org/app", want: 200},
		{name: "repository unknown", method: "GET", path: "repos/octo-org/nope", want: 404},
		{name: "default setup not configured", method: "GET", path: setupPath, want: 200},
		{name: "default setup configured", method: "GET", path: setupPath, want: 200,
			before: func(a *testAPI) string {
				a.emu.SetDefaultSetup("octo-org", "app", DefaultSetup{Languages: []string{"go"}})
				return ""
			}},
		{name: "default setup Advanced Security off", repo: Repository{Owner: "octo-org", Name: "app"},
			method: "GET", path: setupPath, want: 403},
		{name: "default setup unknown repository", method: "GET",
			path: "repos/octo-org/nope/code-scanning/default-setup", want: 404},
		{name: "enable", method: "PATCH", path: setupPath, body: `{"state":"configured"}`, want: 202},
		{name: "no change", method: "PATCH", path: setupPath, body: `{"state":"not-configured"}`, want: 200},
		{name: "no change as 202", cfg: Config{NoChangeStatus: 202}, method: "PATCH", path: setupPath,
			body: `{"state":"not-configured"}`, want: 202},
		{name: "archived", repo: Repository{Owner: "octo-org", Name: "app", AdvancedSecurity: true, Archived: true},
			method: "PATCH", path: setupPath, body: `{"state":"configured"}`, want: 403},
		{name: "conflict", cfg: slow, method: "PATCH", path: setupPath, body: `{"query_suite":"extended"}`, want: 409,
			before: func(a *testAPI) string {
				a.emu.StartOutOfBandRun("octo-org", "app", DefaultSetup{Languages: []string{"go"}})
				return ""
			}},
		{name: "invalid", method: "PATCH", path: setupPath, body: `{"query_suite":"bogus"}`, want: 422},
		{name: "malformed", method: "PATCH", path: setupPath, body: `{`, want: 400},
		{name: "run queued", cfg: slow, method: "GET", path: runsPath, want: 200, before: startRun},
		{name: "run completed", method: "GET", path: runsPath, want: 200, before: startRun},
		{name: "run unknown", method: "GET", path: runsPath + "999", want: 404},
	}
	// The network's JSON faults answer an operation as GitHub does, in its error schema (a 502
	// is an HTML page: TestBadGatewayIsNotJSON in netsim).
	for f, status := range map[netsim.Fault]int{
		netsim.FaultServerError: 500, netsim.FaultUnavailable: 503, netsim.FaultGatewayTimeout: 504,
		netsim.FaultSecondary403: 403, netsim.FaultSecondary403NR: 403, netsim.FaultSecondary429: 429,
		netsim.FaultSecondary429NR: 429, netsim.FaultPrimary: 403,
	} {
		tests = append(tests, contractCase{name: "fault " + string(f), method: "GET", path: setupPath, want: status,
			cfg: Config{Faults: netsim.Faults{Script: []netsim.Fault{f}}}})
	}
	// Each answer is given, and checked against that server's description, by github.com and
	// by each GHES release the contract has.
	for _, tt := range tests {
		for _, version := range []string{"", "3.17.2", "3.19.1"} {
			t.Run(tt.name+"/"+descriptionFor(version), func(t *testing.T) {
				t.Parallel()
				repo := tt.repo
				if repo.Name == "" {
					repo = scanned("app")
				}
				cfg := tt.cfg
				cfg.EnterpriseVersion = version
				a := newTestAPI(t, cfg, repo)
				path := tt.path
				if tt.before != nil {
					path += tt.before(a)
				}
				if got := a.do(tt.method, path, tt.body); got.status != tt.want {
					t.Errorf("status = %d, want %d; body %s", got.status, tt.want, got.body)
				}
			})
		}
	}

	t.Run("unauthenticated", func(t *testing.T) {
		t.Parallel()
		a := newTestAPI(t, Config{}, scanned("app"))
		if got := a.doWith("GET", a.base+setupPath, "", nil); got.status != http.StatusUnauthorized {
			t.Errorf("status = %d, want 401", got.status)
		}
	})
	t.Run("missing prefix", func(t *testing.T) {
		t.Parallel()
		a := newTestAPI(t, Config{}, scanned("app"))
		if got := a.doURL("GET", a.root()+"repos/octo-org/app", ""); got.status != http.StatusNotFound {
			t.Errorf("status = %d, want 404", got.status)
		}
	})
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

// TestContractRejectsWrongAnswers proves the validator would catch the emulator breaking the
// contract: the real answers pass, and each is then broken one way and must fail.
func TestContractRejectsWrongAnswers(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	runID := startRun(a)
	served := map[string][]byte{}
	for name, path := range map[string]string{
		"repository": "repos/octo-org/app",
		"setup":      "repos/octo-org/app/code-scanning/default-setup",
		"run":        "repos/octo-org/app/actions/runs/" + runID,
	} {
		served[name] = a.do("GET", path, "").body
	}
	c, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		method string
		path   string
		status int
		body   []byte
		valid  bool
	}{
		{"real repository", "GET", "repos/octo-org/app", 200, served["repository"], true},
		{"real setup", "GET", "repos/octo-org/app/code-scanning/default-setup", 200, served["setup"], true},
		{"real run", "GET", "repos/octo-org/app/actions/runs/" + runID, 200, served["run"], true},
		{"repository without full_name", "GET", "repos/octo-org/app", 200,
			withField(t, served["repository"], "full_name", nil, true), false},
		{"run without id", "GET", "repos/octo-org/app/actions/runs/" + runID, 200,
			withField(t, served["run"], "id", nil, true), false},
		{"repository with a relative html_url", "GET", "repos/octo-org/app", 200,
			withField(t, served["repository"], "html_url", "octo-org/app", false), false},
		{"setup with an unknown state", "GET", "repos/octo-org/app/code-scanning/default-setup", 200,
			withField(t, served["setup"], "state", "enabled", false), false},
		{"setup with languages as a string", "GET", "repos/octo-org/app/code-scanning/default-setup", 200,
			withField(t, served["setup"], "languages", "go", false), false},
		{"no-change answer that is not empty", "PATCH", "repos/octo-org/app/code-scanning/default-setup", 200,
			[]byte(`{"run_id":1}`), false},
		{"run_id as a string", "PATCH", "repos/octo-org/app/code-scanning/default-setup", 202,
			[]byte(`{"run_id":"42","run_url":"x"}`), false},
		{"undocumented status", "GET", "repos/octo-org/app/actions/runs/" + runID, 201, []byte(`{}`), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			reqBody := ""
			if tt.method == "PATCH" {
				reqBody = `{"state":"configured"}`
			}
			req := newContractRequest(t, tt.method, tt.path, reqBody)
			header := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
			v := c.check(req, []byte(reqBody), tt.status, header, tt.body)
			if v.request != nil {
				t.Fatalf("control request rejected: %v", v.request)
			}
			if (v.response == nil) != tt.valid {
				t.Errorf("validator said %v, want valid=%v", v.response, tt.valid)
			}
		})
	}

	t.Run("requests", func(t *testing.T) {
		t.Parallel()
		for body, valid := range map[string]bool{
			`{"state":"configured","languages":["go"],"runner_label":null}`: true,
			`{"foo":1}`:                   false,
			`{"languages":["cobol"]}`:     false,
			`{"threat_model":"anything"}`: false,
		} {
			req := newContractRequest(t, "PATCH", "repos/octo-org/app/code-scanning/default-setup", body)
			v := c.check(req, []byte(body), 200, http.Header{"Content-Type": {"application/json"}}, []byte(`{}`))
			if (v.request == nil) != valid {
				t.Errorf("request %s: validator said %v, want valid=%v", body, v.request, valid)
			}
		}
	})
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
