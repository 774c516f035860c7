package netsim

import (
	"net/http"
	"strings"
)

// bearer is a Credential that accepts any bearer token, as the emulator does by default.
func bearer(r *http.Request) (string, bool) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return token, ok && token != ""
}
