package emulator

import (
	"context"
	"maps"
	"net/http"
	"strings"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/clock"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/netsim"
)

// Config holds the emulator's knobs. The zero value behaves like github.com with runs that
// complete at once.
type Config struct {
	Tokens         []string      // accepted tokens; empty = any non-empty token
	RunQueued      time.Duration // how long a run stays queued
	RunInProgress  time.Duration // how long it stays in_progress
	NoChangeStatus int           // 200 (default when 0) or 202 for a PATCH that changes nothing
	// SplitJavaScriptTypeScript is what GET default-setup reports in place of
	// javascript-typescript, the one name PATCH takes: GitHub's description lets GET report
	// "javascript" and "typescript" too, and does not say when. E.g. {"javascript",
	// "typescript"} or {"javascript"}; nil reports javascript-typescript.
	SplitJavaScriptTypeScript []string
	// RunnerLabelOnStandard is what a PATCH that moves to standard runners without naming
	// runner_label does to the label of labeled ones, which GitHub does not document:
	// LabelClearedOnStandard (the default), LabelKeptOnStandard or LabelRefusedOnStandard.
	// "runner_label": null always clears it.
	RunnerLabelOnStandard string
	ShowPendingConfig     bool          // GET shows a requested configuration before its run completes
	Latency               time.Duration // added before every answer (netsim.Config.Latency)
	PathPrefix            string        // e.g. "/api-v3"; the API is served under it

	// EnforceSecondaryLimits refuses, as GitHub does, requests over its secondary rate limits
	// (100 in flight, 900 points a minute); off, they are only counted (SecondaryLimitTrips).
	EnforceSecondaryLimits bool

	// RateLimit is the number of requests a token may make per hour; 0 means GitHub's 5000.
	// Lower it to make a test run out.
	RateLimit int

	// Logins maps a token to the login it authenticates as, who dismisses alerts; a token not
	// listed is "octocat".
	Logins map[string]string
	// TokenPermissions makes a token a fine-grained personal access token granted exactly these
	// repository permissions ("actions", "administration", "contents", "security_events" for
	// Code scanning alerts; "read" or "write"): what it lacks is refused as GitHub refuses it
	// (permissions.go). A token not listed is a classic token, allowed everything.
	TokenPermissions map[string]map[string]string
	// OrganizationRoles is each login's role in every organization (RoleOwner,
	// RoleSecurityManager, RoleMember; unlisted logins are members). When set, the organization
	// alert list is refused to members, as GitHub refuses it; nil lets everyone list.
	OrganizationRoles map[string]string
	// AllowRedismiss lets a dismissed alert be dismissed again, replacing its reason and comment,
	// as GitHub did before 2025; github.com now refuses it (AlreadyDismissedStatus).
	AllowRedismiss bool
	// IgnoreNewerAlertFilters makes the repository alert list ignore severity, assignees and pr,
	// which only GitHub's newer documentation lists, as a server that predates them would:
	// unknown query parameters are ignored, not refused.
	IgnoreNewerAlertFilters bool
	// AlreadyDismissedStatus is the status of GitHub's "Alert is already dismissed." answer to a
	// dismissal of a dismissed alert: 409 (when 0) or 400, as each is reported from github.com
	// and GitHub does not document either.
	AlreadyDismissedStatus int
	// SarifProcessing is how long a SARIF upload stays pending before it completes (or fails).
	SarifProcessing time.Duration
	// SarifMaxBytes is the largest gzip-compressed SARIF upload accepted; 0 means GitHub's 10 MB.
	SarifMaxBytes int

	// Faults makes requests fail as GitHub and the network sometimes do (package netsim);
	// Network().SetFaults changes them mid-test.
	Faults netsim.Faults
	// Sleep is how the network waits out Latency and slow or silent faults; nil waits on a
	// timer. Tests give one that returns at once, so they never wait.
	Sleep func(ctx context.Context, d time.Duration) bool
	// Clock is GitHub's clock: it drives runs, SARIF processing, installation tokens' expiry,
	// the primary rate windows and the Date header; the wall clock when nil. Tests give the
	// client's fake clock (package clock), so that a reset or an expiry the client sleeps
	// towards arrives as its sleep ends. Advance moves it on further.
	Clock clock.Clock
	// EnterpriseVersion makes the emulator GitHub Enterprise Server of that release, e.g.
	// "3.17.2" (ghes.go). Serve it under PathPrefix "/api/v3", as GHES serves its API.
	EnterpriseVersion string
	// App is the GitHub App whose JWTs buy installation tokens (app_auth.go); nil: none.
	App *App

	// AttachmentDelay is how long a repository stays attaching (or updating, after its
	// configuration changes) before the attachment job reaches it; 0: at the next request.
	AttachmentDelay time.Duration
	// UnlicensedAttachment is what attaching a configuration with paid features does to a
	// repository without Advanced Security: UnlicensedAttachmentFails (the default: status
	// failed) or UnlicensedAttachmentFreeFeatures (attached, paid features left off).
	UnlicensedAttachment string
	// EnforcedSetupStatus is the status of the refusal of a repository-level default setup
	// PATCH under an enforced configuration that sets default setup, which GitHub does not
	// document: 403 (when 0) or 422.
	EnforcedSetupStatus int
}

func (c Config) withDefaults() Config {
	if c.NoChangeStatus == 0 {
		c.NoChangeStatus = http.StatusOK
	}
	if c.AlreadyDismissedStatus == 0 {
		c.AlreadyDismissedStatus = http.StatusConflict
	}
	if c.SarifMaxBytes == 0 {
		c.SarifMaxBytes = githubSarifLimit
	}
	c.PathPrefix = normalizePathPrefix(c.PathPrefix)
	c.Tokens = append([]string(nil), c.Tokens...)
	c.Logins = maps.Clone(c.Logins)
	c.SplitJavaScriptTypeScript = append([]string(nil), c.SplitJavaScriptTypeScript...)
	c.OrganizationRoles = maps.Clone(c.OrganizationRoles)
	perms := make(map[string]map[string]string, len(c.TokenPermissions))
	for token, p := range c.TokenPermissions {
		perms[token] = maps.Clone(p)
		if perms[token] == nil {
			perms[token] = map[string]string{}
		}
		perms[token][permMetadata] = permRead // every fine-grained token has it
	}
	c.TokenPermissions = perms
	return c
}

// normalizePathPrefix turns "api-v3/", "/api-v3" and "/api-v3/" into "/api-v3", so that routes
// can be written as prefix + "/repos/...". The root is "".
func normalizePathPrefix(p string) string {
	p = strings.Trim(p, "/")
	if p == "" {
		return ""
	}
	return "/" + p
}
