package githubclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os/exec"
	"strings"
	"time"
)

// ErrGitHubCLINotFound is TokenFromGitHubCLI's answer when gh is not on PATH.
var ErrGitHubCLINotFound = errors.New("gh (GitHub CLI) is not on PATH")

// GitHubCLIHost is the host name gh knows a GitHub by, for an API root ResolveBaseURL returned:
// github.com for api.github.com, NAME.ghe.com for GHE.com's api.NAME.ghe.com, and the server's
// host (with its port, if any) for GitHub Enterprise Server and anything else.
func GitHubCLIHost(apiRoot string) string {
	u, err := url.Parse(apiRoot)
	if err != nil || u.Host == "" {
		return "github.com"
	}
	host := strings.ToLower(u.Host)
	switch {
	case host == "api.github.com":
		return "github.com"
	case strings.HasPrefix(host, "api.") && strings.HasSuffix(host, ".ghe.com"):
		return strings.TrimPrefix(host, "api.")
	default:
		return host
	}
}

// TokenFromGitHubCLI asks the GitHub CLI for the token it holds for host
// (`gh auth token --hostname HOST`), so someone logged in with `gh auth login` needs no other
// setup. Its error never holds a token: only gh's own message on failure.
func TokenFromGitHubCLI(ctx context.Context, host string) (string, error) {
	gh, err := exec.LookPath("gh")
	if err != nil {
		return "", ErrGitHubCLINotFound
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, gh, "auth", "token", "--hostname", host)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("`gh auth token --hostname %s` failed: %s", host, msg)
	}
	token := strings.TrimSpace(stdout.String())
	if token == "" || strings.ContainsAny(token, " \n\t") {
		return "", fmt.Errorf("`gh auth token --hostname %s` printed no token", host)
	}
	return token, nil
}
