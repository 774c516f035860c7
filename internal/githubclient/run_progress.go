package githubclient

import (
	"context"
	"strconv"
	"strings"
)

// runProgress tells a person following a long change where a run is: at INFO, its id, its web
// link (html_url, which a person can open, not the API URL) and each status it passes through,
// once each, rather than every poll.
type runProgress struct {
	c    *Client
	repo Repository
	last *RunStatus
}

func (p *runProgress) saw(ctx context.Context, status *RunStatus) {
	if status == nil || (p.last != nil && p.last.Status == status.Status) {
		return
	}
	p.last = status
	fields := map[string]any{"repository": p.repo.String(), "run_id": status.ID, "status": status.Status}
	if status.HTMLURL != "" {
		fields["html_url"] = status.HTMLURL
	}
	msg := "default setup run " + status.Status
	if status.Conclusion != nil {
		fields["conclusion"] = *status.Conclusion
		msg += " (" + *status.Conclusion + ")"
	}
	if status.HTMLURL != "" {
		msg += ": " + status.HTMLURL
	}
	p.c.info(ctx, msg, fields)
}

// link is the run's web link as the last status gave it, for an error a person reads: "" before
// any status was read.
func (p *runProgress) link() string {
	if p.last == nil {
		return ""
	}
	return p.last.HTMLURL
}

// RunWebURL is the link a person opens for run id of repo, built from the API root as GitHub
// builds a run's html_url, for a run the client did not read (a change that does not wait). It is
// "" where the API root does not say where the web pages are (a proxy, the embedded GitHub).
func (c *Client) RunWebURL(repo Repository, id int64) string {
	root := c.webRoot()
	if root == "" || id <= 0 {
		return ""
	}
	return root + repo.Owner + "/" + repo.Name + "/actions/runs/" + strconv.FormatInt(id, 10)
}

// webRoot is the web address that goes with the API root: github.com for api.github.com,
// NAME.ghe.com for api.NAME.ghe.com, and GitHub Enterprise Server's host for HOST/api/v3/.
func (c *Client) webRoot() string {
	u := *c.baseURL
	host := strings.ToLower(u.Hostname())
	switch {
	case host == "api.github.com" && u.Path == "/":
		return "https://github.com/"
	case strings.HasPrefix(host, "api.") && strings.HasSuffix(host, ".ghe.com") && u.Path == "/":
		u.Host = strings.TrimPrefix(u.Host, "api.")
		return u.String()
	case IsEnterpriseServer(u.String()):
		u.Path = strings.TrimSuffix(u.Path, "api/v3/")
		return u.String()
	}
	return ""
}
