package apicontract

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// Base stands for every test server's base URL: each test server has its own port and some
// their own prefix, so a request is rebased onto Base (Rebase) before it is checked.
const Base = "http://127.0.0.1/api-v3/"

// Contract is one server's description, with a router for requests made to Base.
type Contract struct {
	file       string
	mu         sync.Mutex // validation fills caches inside the document; parallel tests take turns
	router     routers.Router
	basicError *openapi3.Schema
	operations []string
}

// DescriptionFor names the description of the server an emulator with this EnterpriseVersion
// plays: github.com's, or that of the GHES release ("3.17.2" is ghes-3.17.json). A release with
// no description has none, so a test of it fails rather than check against another.
func DescriptionFor(enterpriseVersion string) string {
	if enterpriseVersion == "" {
		return "api.github.com.json"
	}
	parts := strings.SplitN(enterpriseVersion, ".", 3)
	if len(parts) < 2 {
		return "ghes-" + enterpriseVersion + ".json"
	}
	return "ghes-" + parts[0] + "." + parts[1] + ".json"
}

// loaded holds each description, parsed once: it takes a noticeable fraction of a second.
var loaded sync.Map // path -> func() (*Contract, error)

// Load parses the description file in dir (the emulator's testdata, as the caller's package
// reaches it), once per test binary.
func Load(dir, file string) (*Contract, error) {
	path := filepath.Join(dir, file)
	load, _ := loaded.LoadOrStore(path, sync.OnceValues(func() (*Contract, error) { return parse(path) }))
	return load.(func() (*Contract, error))() //nolint:forcetypeassert // only this function stores
}

func parse(path string) (*Contract, error) {
	doc, err := openapi3.NewLoader().LoadFromFile(path)
	if err != nil {
		return nil, err
	}
	doc.Servers = openapi3.Servers{{URL: strings.TrimSuffix(Base, "/")}}
	// GitHub's own examples do not all match its schemas; they are not what is under test.
	router, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation())
	if err != nil {
		return nil, err
	}
	repo := doc.Paths.Value("/repos/{owner}/{repo}")
	if repo == nil || repo.Get == nil || repo.Get.Responses.Status(http.StatusNotFound) == nil {
		return nil, errors.New(path + " lacks GET /repos/{owner}/{repo}'s 404, the schema of GitHub's errors")
	}
	basic := repo.Get.Responses.Status(http.StatusNotFound)
	var operations []string
	for _, p := range doc.Paths.InMatchingOrder() {
		for method := range doc.Paths.Value(p).Operations() {
			operations = append(operations, method+" "+p)
		}
	}
	slices.Sort(operations)
	return &Contract{file: filepath.Base(path), router: router, basicError: basic.Value.Content.Get("application/json").Schema.Value,
		operations: operations}, nil
}

// File is the description's file name.
func (c *Contract) File() string { return c.file }

// Operations lists the description's operations, as "GET /repos/{owner}/{repo}", sorted.
func (c *Contract) Operations() []string { return slices.Clone(c.operations) }

// Rebase returns a copy of req addressed to Base: rest is the request's URL after the test
// server's base (path and query).
func Rebase(req *http.Request, rest string) (*http.Request, error) {
	u, err := url.Parse(Base + strings.TrimPrefix(rest, "/"))
	if err != nil {
		return nil, err
	}
	rebased := req.Clone(context.Background())
	rebased.URL = u
	return rebased, nil
}

// formats makes the validator check the formats GitHub's schemas use beyond OpenAPI's own, so
// that a relative URL where GitHub promises an absolute one is caught. A file URI has no host
// (a SARIF upload's checkout_uri is "file:///home/runner/work/...").
var formats = []openapi3.SchemaValidationOption{
	openapi3.WithStringFormatValidator("uri", openapi3.NewCallbackValidator(func(s string) error {
		if u, err := url.Parse(s); err != nil || !u.IsAbs() || (u.Host == "" && u.Scheme != "file") {
			return errors.New("not an absolute URI")
		}
		return nil
	})),
	openapi3.WithStringFormatValidator("email", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForEmail)),
}

// Verdict is what the contract says about one exchange.
type Verdict struct {
	// Operation is the operation the request calls, as "GET /repos/{owner}/{repo}"; "" when
	// the description has none for it.
	Operation string
	// Request is nil if the request is valid for its operation (or names none).
	Request error
	// Undescribed are the top-level fields of the request's JSON body that the operation's
	// schema does not name. A schema that does not forbid unknown fields lets the server ignore
	// them: GHES 3.17 would ignore create_request and dismiss an alert outright.
	Undescribed []string
	// Response is nil if the answer is valid for the operation and status; an answer to a
	// request the description does not know must be one of GitHub's errors.
	Response error
}

// CheckRequest checks a request to Base (its body given apart) against its operation.
func (c *Contract) CheckRequest(req *http.Request, body []byte) Verdict {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, _ := c.checkRequest(req, body)
	return v
}

func (c *Contract) checkRequest(req *http.Request, body []byte) (Verdict, *openapi3filter.RequestValidationInput) {
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		return Verdict{}, nil
	}
	r := req.Clone(context.Background())
	r.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
			SchemaValidationOptions: formats,
		},
	}
	return Verdict{
		Operation:   route.Method + " " + route.Path,
		Request:     openapi3filter.ValidateRequest(context.Background(), in),
		Undescribed: undescribedFields(route.Operation, body),
	}, in
}

// Check checks a request to Base and the answer given to it.
func (c *Contract) Check(req *http.Request, reqBody []byte, status int, header http.Header, body []byte) Verdict {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, in := c.checkRequest(req, reqBody)
	switch {
	case in == nil:
		// Unknown to the description (a missing prefix, say): the answer must still be an
		// error shaped like GitHub's.
		v.Response = c.checkBasicError(status, body)
	case in.Route.Operation.Responses.Status(status) == nil:
		// GitHub answers 400 and 401 on every operation but documents them on none.
		v.Response = c.checkBasicError(status, body)
	default:
		v.Response = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in,
			Status:                 status,
			Header:                 header,
			Body:                   io.NopCloser(bytes.NewReader(body)),
			Options: &openapi3filter.Options{
				IncludeResponseStatus:   true,
				SchemaValidationOptions: formats,
			},
		})
	}
	return v
}

func (c *Contract) checkBasicError(status int, body []byte) error {
	if status < 400 {
		return errors.New("a success answer to a request the description does not know")
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	return c.basicError.VisitJSON(v, formats...)
}

func undescribedFields(op *openapi3.Operation, body []byte) []string {
	if op.RequestBody == nil || len(body) == 0 {
		return nil
	}
	media := op.RequestBody.Value.Content.Get("application/json")
	var fields map[string]json.RawMessage
	if media == nil || media.Schema == nil || json.Unmarshal(body, &fields) != nil {
		return nil
	}
	var extra []string
	for name := range fields {
		if _, ok := media.Schema.Value.Properties[name]; !ok {
			extra = append(extra, name)
		}
	}
	slices.Sort(extra)
	return extra
}
