package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

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
	operations []string // "GET /repos/{owner}/{repo}", each the description has
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
	var operations []string
	for _, path := range doc.Paths.InMatchingOrder() {
		for method := range doc.Paths.Value(path).Operations() {
			operations = append(operations, method+" "+path)
		}
	}
	slices.Sort(operations)
	return &contract{router: router, basicError: basic.Value.Content.Get("application/json").Schema.Value, operations: operations}, nil
}

// operationOf names the operation of github.com's description that method and path (relative to
// the base URL) call, as "GET /repos/{owner}/{repo}".
func operationOf(t *testing.T, method, path string) string {
	t.Helper()
	c, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	route, _, err := c.router.FindRoute(newContractRequest(t, method, path, ""))
	if err != nil {
		t.Fatalf("%s %s names no operation of the description: %v", method, path, err)
	}
	return route.Method + " " + route.Path
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
