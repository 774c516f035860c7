package emulator

import (
	"fmt"
	"net/url"
	"strings"
)

// The objects below carry every field GitHub's schemas mark required. The many *_url fields
// follow GitHub's own templates so a client that follows one lands on a plausible path.

// accountID gives each owner login a stable id, as GitHub does. Callers hold the lock.
func (e *Emulator) accountID(login string) int64 {
	key := strings.ToLower(login)
	id, ok := e.accountIDs[key]
	if !ok {
		id = int64(len(e.accountIDs) + 1)
		e.accountIDs[key] = id
	}
	return id
}

// simpleUserJSON is GitHub's "Simple User" for login. Callers hold the lock.
func (e *Emulator) simpleUserJSON(login, apiBase, webBase string) map[string]any {
	id := e.accountID(login)
	u := apiBase + "users/" + url.PathEscape(login)
	return map[string]any{
		"login":               login,
		"id":                  id,
		"node_id":             fmt.Sprintf("U_emulated%d", id),
		"avatar_url":          fmt.Sprintf("%savatars/u/%d?v=4", webBase, id),
		"gravatar_id":         "",
		"url":                 u,
		"html_url":            webBase + url.PathEscape(login),
		"followers_url":       u + "/followers",
		"following_url":       u + "/following{/other_user}",
		"gists_url":           u + "/gists{/gist_id}",
		"starred_url":         u + "/starred{/owner}{/repo}",
		"subscriptions_url":   u + "/subscriptions",
		"organizations_url":   u + "/orgs",
		"repos_url":           u + "/repos",
		"events_url":          u + "/events{/privacy}",
		"received_events_url": u + "/received_events",
		"type":                "User",
		"site_admin":          false,
	}
}

// repoPath is "owner/name" escaped for use in a URL.
func repoPath(r Repository) string {
	return url.PathEscape(r.Owner) + "/" + url.PathEscape(r.Name)
}

// minimalRepositoryJSON is GitHub's "Minimal Repository", as a workflow run embeds it. Callers
// hold the lock.
func (e *Emulator) minimalRepositoryJSON(st *repoState, apiBase, webBase string) map[string]any {
	u := apiBase + "repos/" + repoPath(st.repo)
	return map[string]any{
		"id":                st.id,
		"node_id":           fmt.Sprintf("R_emulated%d", st.id),
		"name":              st.repo.Name,
		"full_name":         st.repo.Owner + "/" + st.repo.Name,
		"owner":             e.simpleUserJSON(st.repo.Owner, apiBase, webBase),
		"private":           st.repo.visibility() != VisibilityPublic,
		"html_url":          webBase + repoPath(st.repo),
		"description":       nil,
		"fork":              false,
		"url":               u,
		"archive_url":       u + "/{archive_format}{/ref}",
		"assignees_url":     u + "/assignees{/user}",
		"blobs_url":         u + "/git/blobs{/sha}",
		"branches_url":      u + "/branches{/branch}",
		"collaborators_url": u + "/collaborators{/collaborator}",
		"comments_url":      u + "/comments{/number}",
		"commits_url":       u + "/commits{/sha}",
		"compare_url":       u + "/compare/{base}...{head}",
		"contents_url":      u + "/contents/{+path}",
		"contributors_url":  u + "/contributors",
		"deployments_url":   u + "/deployments",
		"downloads_url":     u + "/downloads",
		"events_url":        u + "/events",
		"forks_url":         u + "/forks",
		"git_commits_url":   u + "/git/commits{/sha}",
		"git_refs_url":      u + "/git/refs{/sha}",
		"git_tags_url":      u + "/git/tags{/sha}",
		"hooks_url":         u + "/hooks",
		"issue_comment_url": u + "/issues/comments{/number}",
		"issue_events_url":  u + "/issues/events{/number}",
		"issues_url":        u + "/issues{/number}",
		"keys_url":          u + "/keys{/key_id}",
		"labels_url":        u + "/labels{/name}",
		"languages_url":     u + "/languages",
		"merges_url":        u + "/merges",
		"milestones_url":    u + "/milestones{/number}",
		"notifications_url": u + "/notifications{?since,all,participating}",
		"pulls_url":         u + "/pulls{/number}",
		"releases_url":      u + "/releases{/id}",
		"stargazers_url":    u + "/stargazers",
		"statuses_url":      u + "/statuses/{sha}",
		"subscribers_url":   u + "/subscribers",
		"subscription_url":  u + "/subscription",
		"tags_url":          u + "/tags",
		"teams_url":         u + "/teams",
		"trees_url":         u + "/git/trees{/sha}",
		"archived":          st.repo.Archived,
		"disabled":          false,
		"visibility":        st.repo.visibility(),
	}
}

// fullRepositoryJSON is GitHub's "Full Repository", the answer to GET /repos/{owner}/{repo}.
// Callers hold the lock.
func (e *Emulator) fullRepositoryJSON(st *repoState, apiBase, webBase string) map[string]any {
	repo := e.minimalRepositoryJSON(st, apiBase, webBase)
	web, _ := url.Parse(webBase)
	host := ""
	if web != nil {
		host = web.Host
	}
	stamp := githubTime(st.createdAt)
	for k, v := range map[string]any{
		"git_url":           "git://" + host + "/" + repoPath(st.repo) + ".git",
		"ssh_url":           "git@" + host + ":" + repoPath(st.repo) + ".git",
		"clone_url":         webBase + repoPath(st.repo) + ".git",
		"svn_url":           webBase + repoPath(st.repo),
		"mirror_url":        nil,
		"homepage":          nil,
		"language":          nil,
		"license":           nil,
		"default_branch":    "main",
		"forks":             0,
		"forks_count":       0,
		"stargazers_count":  0,
		"watchers":          0,
		"watchers_count":    0,
		"subscribers_count": 0,
		"network_count":     0,
		"open_issues":       0,
		"open_issues_count": 0,
		"size":              0,
		"has_issues":        true,
		"has_projects":      false,
		"has_wiki":          false,
		"has_pages":         false,
		"has_discussions":   false,
		"pushed_at":         stamp,
		"created_at":        stamp,
		"updated_at":        stamp,
		"permissions": map[string]any{
			"admin": true, "maintain": true, "push": true, "triage": true, "pull": true,
		},
		"security_and_analysis": map[string]any{
			"advanced_security": map[string]any{"status": enabledStatus(st.repo.AdvancedSecurity)},
			"code_security":     map[string]any{"status": enabledStatus(st.repo.AdvancedSecurity)},
		},
	} {
		repo[k] = v
	}
	return repo
}

func enabledStatus(on bool) string {
	if on {
		return "enabled"
	}
	return "disabled"
}
