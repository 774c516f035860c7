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
