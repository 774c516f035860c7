package githubclient

import "testing"

func TestResolveBaseURL(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, want string
	}{
		{"", "https://api.github.com/"},
		{"https://github.com", "https://api.github.com/"},
		{"https://api.github.com", "https://api.github.com/"},
		{"https://octo.ghe.com", "https://api.octo.ghe.com/"},
		{"https://octo.ghe.com/", "https://api.octo.ghe.com/"},
		{"https://api.octo.ghe.com", "https://api.octo.ghe.com/"},
		{"https://github.example.com", "https://github.example.com/api/v3/"},
		{"https://github.example.com/", "https://github.example.com/api/v3/"},
		{"https://github.example.com:8443", "https://github.example.com:8443/api/v3/"},
		{"https://github.example.com/api/v3", "https://github.example.com/api/v3/"},
		{"http://127.0.0.1:8080/api-v3/", "http://127.0.0.1:8080/api-v3/"},
		{"https://proxy.example.com/github", "https://proxy.example.com/github/"},
	}
	for _, c := range cases {
		got, err := ResolveBaseURL(c.in)
		if err != nil {
			t.Errorf("ResolveBaseURL(%q): %v", c.in, err)
			continue
		}
		if got != c.want {
			t.Errorf("ResolveBaseURL(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestResolveBaseURLRejectsWhatIsNotAnAPIRoot(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"github.example.com", "ftp://github.example.com", "https://", "https://h.example.com/?x=1", "::"} {
		if got, err := ResolveBaseURL(in); err == nil {
			t.Errorf("ResolveBaseURL(%q) = %q, want an error", in, got)
		}
	}
}

func TestIsEnterpriseServer(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{
		"":                                   false,
		"https://github.com":                 false,
		"https://octo.ghe.com":               false,
		"https://github.example.com":         true,
		"https://github.example.com/api/v3":  true,
		"https://github.example.com/api/v3/": true,
		"http://127.0.0.1:8080/api-v3/":      false,
		"https://proxy.example.com/github":   false,
	} {
		root, err := ResolveBaseURL(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := IsEnterpriseServer(root); got != want {
			t.Errorf("IsEnterpriseServer(%q from %q) = %v, want %v", root, in, got, want)
		}
	}
}

func TestPlainHTTPIsRefusedBeyondLoopbackUnlessAllowed(t *testing.T) {
	t.Parallel()
	cases := []struct {
		apiRoot string
		refused bool
	}{
		{"https://github.example.com/api/v3/", false},
		{"http://127.0.0.1:8080/api-v3/", false},
		{"http://127.5.6.7/api/v3/", false},
		{"http://localhost:3000/api/v3/", false},
		{"http://emulator.localhost/api/v3/", false},
		{"http://[::1]:8080/api/v3/", false},
		{"http://github.example.com/api/v3/", true},
		{"http://10.0.0.5/api/v3/", true},
		{"http://localhost.example.com/api/v3/", true},
	}
	for _, c := range cases {
		err := CheckTransportSecurity(c.apiRoot, false)
		if (err != nil) != c.refused {
			t.Errorf("CheckTransportSecurity(%q) = %v; want refused %v", c.apiRoot, err, c.refused)
		}
		if err := CheckTransportSecurity(c.apiRoot, true); err != nil {
			t.Errorf("CheckTransportSecurity(%q, allowed) = %v", c.apiRoot, err)
		}
	}
	if _, err := New(Config{BaseURL: "http://github.example.com", Token: "t"}); err == nil {
		t.Fatal("New took an http:// base URL to another machine")
	}
	if _, err := New(Config{BaseURL: "http://github.example.com", Token: "t", AllowInsecureHTTP: true}); err != nil {
		t.Fatalf("New with AllowInsecureHTTP: %v", err)
	}
}
