package emulator

import (
	"net/http"
	"slices"
	"strings"
)

// GitHub refuses a GitHub App installation token or a fine-grained personal access token that
// lacks the permission an operation needs, with 403 and these words (the body's
// documentation_url is the operation's page), and names what would do in the
// X-Accepted-GitHub-Permissions header. A classic token has scopes, not permissions: the
// emulator lets it do everything, as it always has. The permissions each operation needs are
// GitHub's "Fine-grained access tokens for ..." notes of the REST reference, in the
// names an installation token's answer uses ("security_events" is "Code scanning alerts").
const (
	msgNotAccessibleByIntegration = "Resource not accessible by integration"
	msgNotAccessibleByPAT         = "Resource not accessible by personal access token"
)

// Permission levels; write includes read.
const (
	permRead  = "read"
	permWrite = "write"
)

// Repository permissions, by the names GitHub's token answers use.
const (
	permActions        = "actions"
	permAdministration = "administration"
	permContents       = "contents"
	permMetadata       = "metadata"
	permSecurityEvents = "security_events"
	// permOrganizationAdministration is the organization permission "Administration", which
	// GitHub's reference names for code security configurations (read to read, write to change).
	permOrganizationAdministration = "organization_administration"
)

// Organization roles (Config.OrganizationRoles). Only owners and security managers may list an
// organization's alerts.
const (
	RoleOwner           = "owner"
	RoleSecurityManager = "security_manager"
	RoleMember          = "member"
)

// fullAppPermissions are what an App is given when the test names none: everything the
// provider's documentation asks for.
func fullAppPermissions() map[string]string {
	return map[string]string{
		permActions: permRead, permAdministration: permWrite, permContents: permRead,
		permMetadata: permRead, permSecurityEvents: permWrite, permOrganizationAdministration: permWrite,
	}
}

// requiredPermission is what one operation needs of a permissioned token.
type requiredPermission struct {
	name, level string
	docsURL     string
}

// operationPermissions maps each served route (its ServeMux pattern, without the path prefix)
// to what it needs. GET /repos/{owner}/{repo} needs only metadata, which every token has.
var operationPermissions = map[string]requiredPermission{
	"GET /repos/{owner}/{repo}/code-scanning/default-setup":                   {permAdministration, permRead, docsGetDefaultSetup},
	"PATCH /repos/{owner}/{repo}/code-scanning/default-setup":                 {permAdministration, permWrite, docsUpdateDefaultSetup},
	"GET /repos/{owner}/{repo}/actions/runs/{run_id}":                         {permActions, permRead, docsGetWorkflowRun},
	"GET /orgs/{org}/code-scanning/alerts":                                    {permSecurityEvents, permRead, docsListOrgAlerts},
	"GET /repos/{owner}/{repo}/code-scanning/alerts":                          {permSecurityEvents, permRead, docsListRepoAlerts},
	"GET /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}":           {permSecurityEvents, permRead, docsGetAlert},
	"PATCH /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}":         {permSecurityEvents, permWrite, docsUpdateAlert},
	"GET /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}/instances": {permSecurityEvents, permRead, docsListAlertInstances},
	"GET /repos/{owner}/{repo}/code-scanning/analyses":                        {permSecurityEvents, permRead, docsListAnalyses},
	"GET /repos/{owner}/{repo}/code-scanning/analyses/{analysis_id}":          {permSecurityEvents, permRead, docsGetAnalysis},
	"GET /repos/{owner}/{repo}/code-scanning/codeql/databases":                {permContents, permRead, docsListDatabases},
	"GET /repos/{owner}/{repo}/code-scanning/codeql/databases/{language}":     {permContents, permRead, docsGetDatabase},
	"POST /repos/{owner}/{repo}/code-scanning/sarifs":                         {permSecurityEvents, permWrite, docsUploadSarif},
	"GET /repos/{owner}/{repo}/code-scanning/sarifs/{sarif_id}":               {permSecurityEvents, permRead, docsGetSarif},

	"GET /orgs/{org}/code-security/configurations":                                 {permOrganizationAdministration, permRead, docsListConfigurations},
	"POST /orgs/{org}/code-security/configurations":                                {permOrganizationAdministration, permWrite, docsCreateConfiguration},
	"GET /orgs/{org}/code-security/configurations/defaults":                        {permOrganizationAdministration, permRead, docsGetDefaultConfigs},
	"DELETE /orgs/{org}/code-security/configurations/detach":                       {permOrganizationAdministration, permWrite, docsDetachConfiguration},
	"GET /orgs/{org}/code-security/configurations/{configuration_id}":              {permOrganizationAdministration, permRead, docsGetConfiguration},
	"PATCH /orgs/{org}/code-security/configurations/{configuration_id}":            {permOrganizationAdministration, permWrite, docsUpdateConfiguration},
	"DELETE /orgs/{org}/code-security/configurations/{configuration_id}":           {permOrganizationAdministration, permWrite, docsDeleteConfiguration},
	"POST /orgs/{org}/code-security/configurations/{configuration_id}/attach":      {permOrganizationAdministration, permWrite, docsAttachConfiguration},
	"PUT /orgs/{org}/code-security/configurations/{configuration_id}/defaults":     {permOrganizationAdministration, permWrite, docsSetDefaultConfig},
	"GET /orgs/{org}/code-security/configurations/{configuration_id}/repositories": {permOrganizationAdministration, permRead, docsConfigRepositories},
	"GET /repos/{owner}/{repo}/code-security-configuration":                        {permAdministration, permRead, docsRepositoryConfguration},
}

// ownerOrSecurityManagerOnly are the operations GitHub's descriptions keep to "an owner (or
// administrator) or security manager for the organization" (Config.OrganizationRoles).
var ownerOrSecurityManagerOnly = func() map[string]bool {
	only := map[string]bool{"GET /orgs/{org}/code-scanning/alerts": true}
	for pattern := range operationPermissions {
		if strings.Contains(pattern, "code-security") {
			only[pattern] = true
		}
	}
	return only
}()

// grants reports whether a token holding level of a permission may do what needs want.
func grants(level, want string) bool {
	return level == permWrite || (level == permRead && want == permRead)
}

// authorize returns GitHub's refusal of r for token, or false when the token may go on. It runs
// after authentication, so token is known.
func (e *Emulator) authorize(token string, r *http.Request) (answer, bool) {
	perms, installation := e.installationPermissions(token)
	if !installation {
		perms = e.cfg.TokenPermissions[token]
	}
	_, pattern := e.mux.Handler(r)
	pattern = strings.Replace(pattern, " "+e.cfg.PathPrefix+"/", " /", 1)
	need, ok := operationPermissions[pattern]
	if !ok {
		return answer{}, false
	}
	if perms != nil && !grants(perms[need.name], need.level) {
		msg := msgNotAccessibleByPAT
		if installation {
			msg = msgNotAccessibleByIntegration
		}
		a := errorAnswer(http.StatusForbidden, msg, need.docsURL)
		a.header = http.Header{"X-Accepted-Github-Permissions": {need.name + "=" + need.level}}
		return a, true
	}
	// "The authenticated user must be an owner or security manager for the organization": an
	// installation acts for itself, not a user. GitHub's description of the operation answers
	// nothing but 404 when access is refused, so that is what a mere member gets.
	if ownerOrSecurityManagerOnly[pattern] && !installation && e.cfg.OrganizationRoles != nil {
		role := e.cfg.OrganizationRoles[e.loginFor(token)]
		if !slices.Contains([]string{RoleOwner, RoleSecurityManager}, role) {
			return errorAnswer(http.StatusNotFound, msgNotFound, need.docsURL), true
		}
	}
	return answer{}, false
}
