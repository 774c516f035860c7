package emulatortest

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

func TestNewServerServesUnderAPathPrefixOnly(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ prefix, want string }{{"", DefaultPathPrefix}, {"api/v3/", "/api/v3"}} {
		emu, base := NewServer(t, emulator.Config{PathPrefix: tc.prefix})
		emu.AddRepository(emulator.Repository{Owner: "octo-org", Name: "app"})
		u, err := url.Parse(base)
		if err != nil || u.Path != tc.want+"/" {
			t.Fatalf("prefix %q: base %q (%v); want its path %q", tc.prefix, base, err, tc.want+"/")
		}
		root := u.Scheme + "://" + u.Host + "/"
		for target, status := range map[string]int{base + "repos/octo-org/app": http.StatusOK, root + "repos/octo-org/app": http.StatusNotFound} {
			req, _ := http.NewRequest(http.MethodGet, target, nil)
			req.Header.Set("Authorization", "Bearer ghp_any")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != status {
				t.Errorf("GET %s: %d, want %d", target, resp.StatusCode, status)
			}
		}
	}
}
