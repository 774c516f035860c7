package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// The GitHub Enterprise Server flavour (Config.EnterpriseVersion): every answer carries
// X-GitHub-Enterprise-Version, as GHES sends it, and releases without threat models (3.17 and
// older: GitHub's description of 3.17 has no threat_model in default setup, that of 3.19 has;
// the emulator takes 3.18 to have it) neither show threat_model nor accept it. Such a server
// validates a PATCH body against its own schema, whose additionalProperties is false, so it
// answers threat_model as it would any unknown key: 422, "is not a permitted key". Serve it
// under /api/v3, where GHES serves its API.

// setEnterpriseHeader marks an answer as coming from GHES.
func (e *Emulator) setEnterpriseHeader(h http.Header) {
	if e.cfg.EnterpriseVersion != "" {
		h.Set("X-GitHub-Enterprise-Version", e.cfg.EnterpriseVersion)
	}
}

// hasThreatModels reports whether the emulated server knows default setup's threat_model.
func (e *Emulator) hasThreatModels() bool {
	v := e.cfg.EnterpriseVersion
	if v == "" {
		return true
	}
	parts := strings.SplitN(v, ".", 3)
	major, err1 := strconv.Atoi(parts[0])
	minor := 0
	var err2 error
	if len(parts) > 1 {
		minor, err2 = strconv.Atoi(parts[1])
	}
	if err1 != nil || err2 != nil {
		return true
	}
	return major > 3 || (major == 3 && minor >= 18)
}

// serveFlavoured routes r, shaping default setup as the emulated server's release has it.
func (e *Emulator) serveFlavoured(w http.ResponseWriter, r *http.Request) {
	if e.hasThreatModels() || !strings.HasSuffix(r.URL.Path, "/code-scanning/default-setup") {
		e.handler.ServeHTTP(w, r)
		return
	}
	switch r.Method {
	case http.MethodPatch:
		raw, _ := io.ReadAll(r.Body)
		var fields map[string]json.RawMessage
		if json.Unmarshal(raw, &fields) == nil {
			if _, ok := fields["threat_model"]; ok {
				writeAnswer(w, invalidRequest(`"threat_model" is not a permitted key.`))
				return
			}
		}
		r.Body = io.NopCloser(bytes.NewReader(raw))
		e.handler.ServeHTTP(w, r)
	case http.MethodGet:
		buf := &bufferedAnswer{header: http.Header{}}
		e.handler.ServeHTTP(buf, r)
		body := buf.body.Bytes()
		var fields map[string]json.RawMessage
		if buf.status == http.StatusOK && json.Unmarshal(body, &fields) == nil {
			delete(fields, "threat_model")
			if trimmed, err := json.Marshal(fields); err == nil {
				body = trimmed
			}
		}
		for k, v := range buf.header {
			w.Header()[k] = v
		}
		w.WriteHeader(max(buf.status, http.StatusOK))
		_, _ = w.Write(body)
	default:
		e.handler.ServeHTTP(w, r)
	}
}
