package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/netsim"
)

// The GitHub Enterprise Server flavour (Config.EnterpriseVersion). Every answer carries
// X-GitHub-Enterprise-Version, as GHES sends it, and each release serves what GitHub's
// description of it has (testdata/ghes-3.17.json, ghes-3.19.json; 3.18 from the same package):
//   - no CodeQL database endpoints, on any release: 404, as for any path the server lacks;
//   - default setup's threat_model from 3.18: before, GET does not show it and a PATCH with it
//     is a 422 "is not a permitted key", as the body's schema has additionalProperties false;
//   - an alert PATCH's create_request from 3.19: before, the body's schema does not forbid
//     unknown keys, so the server ignores it, and a dismissal is made, not requested;
//   - a SARIF upload's validate on none: its schema has additionalProperties false, so a 422;
//   - API version 2022-11-28 only: no GHES description has the breaking changes of a later one.
//
// Serve it under /api/v3, where GHES serves its API.

// apiVersions are the X-GitHub-Api-Version values github.com accepts; GHES accepts the first.
var apiVersions = []string{"2022-11-28", "2026-03-10"}

// enterpriseRelease is a GHES release as major and minor numbers.
type enterpriseRelease struct{ major, minor int }

// atLeast reports whether r is major.minor or later.
func (r enterpriseRelease) atLeast(major, minor int) bool {
	return r.major > major || (r.major == major && r.minor >= minor)
}

// release is the emulated GHES release, and false for github.com. A version the emulator cannot
// read is taken to be a recent release.
func (e *Emulator) release() (enterpriseRelease, bool) {
	v := e.cfg.EnterpriseVersion
	if v == "" {
		return enterpriseRelease{}, false
	}
	parts := strings.SplitN(v, ".", 3)
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := 0, error(nil)
	if len(parts) > 1 {
		minor, err2 = strconv.Atoi(parts[1])
	}
	if err1 != nil || err2 != nil {
		return enterpriseRelease{major: 1 << 30}, true
	}
	return enterpriseRelease{major: major, minor: minor}, true
}

// isEnterprise reports whether the emulator plays GitHub Enterprise Server.
func (e *Emulator) isEnterprise() bool {
	_, ok := e.release()
	return ok
}

// hasThreatModels reports whether the emulated server knows default setup's threat_model.
func (e *Emulator) hasThreatModels() bool {
	r, ghes := e.release()
	return !ghes || r.atLeast(3, 18)
}

// hasDismissalRequests reports whether the emulated server takes an alert PATCH's create_request.
func (e *Emulator) hasDismissalRequests() bool {
	r, ghes := e.release()
	return !ghes || r.atLeast(3, 19)
}

// supportedAPIVersions are the X-GitHub-Api-Version values the emulated server accepts.
func (e *Emulator) supportedAPIVersions() []string {
	if e.isEnterprise() {
		return apiVersions[:1]
	}
	return apiVersions
}

// setEnterpriseHeader marks an answer as coming from GHES.
func (e *Emulator) setEnterpriseHeader(h http.Header) {
	if e.cfg.EnterpriseVersion != "" {
		h.Set("X-GitHub-Enterprise-Version", e.cfg.EnterpriseVersion)
	}
}

// bodyField is a request body field that a release may lack, and what the release does with a
// body that has it anyway: refuse it (its schema has additionalProperties false) or ignore it.
type bodyField struct {
	method   string
	endpoint func(path string) bool
	name     string
	has      func(e *Emulator) bool
	refused  bool
	docsURL  string
}

var releaseBodyFields = []bodyField{
	{method: http.MethodPatch, endpoint: isDefaultSetupPath, name: "threat_model",
		has: (*Emulator).hasThreatModels, refused: true, docsURL: docsUpdateDefaultSetup},
	{method: http.MethodPatch, endpoint: isAlertPath, name: "create_request",
		has: (*Emulator).hasDismissalRequests, docsURL: docsUpdateAlert},
	{method: http.MethodPost, endpoint: isSarifUploadPath, name: "validate",
		has: func(e *Emulator) bool { return !e.isEnterprise() }, refused: true, docsURL: docsUploadSarif},
}

func isDefaultSetupPath(p string) bool { return strings.HasSuffix(p, "/code-scanning/default-setup") }
func isSarifUploadPath(p string) bool  { return strings.HasSuffix(p, "/code-scanning/sarifs") }

func isAlertPath(p string) bool {
	rest, ok := cutThrough(p, "/code-scanning/alerts/")
	return ok && rest != "" && !strings.Contains(rest, "/")
}

// cutThrough returns what follows the last sep in s.
func cutThrough(s, sep string) (string, bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return "", false
	}
	return s[i+len(sep):], true
}

// serveFlavoured routes r as the emulated server's release would: its API versions, and the
// request and answer fields it has.
func (e *Emulator) serveFlavoured(w http.ResponseWriter, r *http.Request) {
	if v := r.Header.Get("X-GitHub-Api-Version"); v != "" && !slices.Contains(e.supportedAPIVersions(), v) {
		writeAnswer(w, errorAnswer(http.StatusBadRequest, unsupportedVersionMessage(v, e.supportedAPIVersions()), docsREST))
		return
	}
	if !e.isEnterprise() {
		e.handler.ServeHTTP(w, r)
		return
	}
	if refusal, refused := e.shapeRequestBody(r); refused {
		writeAnswer(w, refusal)
		return
	}
	if r.Method == http.MethodGet && isDefaultSetupPath(r.URL.Path) && !e.hasThreatModels() {
		e.serveWithout(w, r, "threat_model")
		return
	}
	e.handler.ServeHTTP(w, r)
}

// unsupportedVersionMessage is GitHub's 400 for an X-GitHub-Api-Version it does not serve.
func unsupportedVersionMessage(v string, supported []string) string {
	quoted := make([]string, len(supported))
	for i, s := range supported {
		quoted[i] = strconv.Quote(s)
	}
	quoted[len(quoted)-1] += " (most recent)"
	return fmt.Sprintf(`The version you specified in the "X-GitHub-API-Version" request header, %q, is not a supported version. `+
		"The following versions are currently supported: %s.", v, strings.Join(quoted, ", "))
}

// shapeRequestBody applies releaseBodyFields to r's body: a refusal to answer, or the body with
// the fields the release ignores taken out, so that handlers see what the server would act on.
func (e *Emulator) shapeRequestBody(r *http.Request) (answer, bool) {
	if r.Body == nil {
		return answer{}, false
	}
	raw, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(raw))
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil || fields == nil {
		return answer{}, false // the handler words the parse error
	}
	ignored := false
	for _, f := range releaseBodyFields {
		if _, given := fields[f.name]; !given || r.Method != f.method || !f.endpoint(r.URL.Path) || f.has(e) {
			continue
		}
		if f.refused {
			return invalidRequestFor(f.docsURL, fmt.Sprintf("%q is not a permitted key.", f.name)), true
		}
		delete(fields, f.name)
		ignored = true
	}
	if ignored {
		if shaped, err := json.Marshal(fields); err == nil {
			r.Body = io.NopCloser(bytes.NewReader(shaped))
		}
	}
	return answer{}, false
}

// serveWithout serves r with field taken out of a successful object answer.
func (e *Emulator) serveWithout(w http.ResponseWriter, r *http.Request, field string) {
	buf := netsim.NewBufferedAnswer()
	e.handler.ServeHTTP(buf, r)
	body := buf.Body()
	var fields map[string]json.RawMessage
	if buf.Status() == http.StatusOK && json.Unmarshal(body, &fields) == nil {
		delete(fields, field)
		if trimmed, err := json.Marshal(fields); err == nil {
			body = trimmed
		}
	}
	buf.CopyHeaderTo(w)
	w.WriteHeader(buf.Status())
	_, _ = w.Write(body)
}
