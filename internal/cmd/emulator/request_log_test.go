package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// A standalone emulator may serve for hours: the requests the emulator records for tests must not
// pile up, and the log must never show the token.
func TestRequestLogKeepsNoRequestsAndNoToken(t *testing.T) {
	emu := emulator.New(emulator.Config{})
	emu.AddRepository(emulator.Repository{Owner: "octo-org", Name: "service", AdvancedSecurity: true})
	var log bytes.Buffer
	srv := httptest.NewServer(logRequests(emu, &log, false))
	for range 3 {
		req, _ := http.NewRequest("GET", srv.URL+"/repos/octo-org/service?x=1", nil)
		req.Header.Set("Authorization", "Bearer secret-token")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	// The line is written once the answer has gone, so the client may hold it before the log
	// does: Close waits for every handler to return.
	srv.Close()
	if n := len(emu.Requests()); n != 0 {
		t.Errorf("the emulator still holds %d recorded requests", n)
	}
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], " GET /repos/octo-org/service?x=1 200 ") {
		t.Errorf("log = %q, want three lines with method, path, query and status", log.String())
	}
	if strings.Contains(log.String(), "secret-token") {
		t.Errorf("log shows the token: %q", log.String())
	}
}
