package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// appAuthModel is the app_auth block.
type appAuthModel struct {
	ID             types.String `tfsdk:"id"`
	InstallationID types.String `tfsdk:"installation_id"`
	PrivateKey     types.String `tfsdk:"private_key"`
	PrivateKeyFile types.String `tfsdk:"private_key_file"`
}

// The environment variables the provider reads for credentials.
const (
	envToken             = "GITHUB_TOKEN"
	envGHToken           = "GH_TOKEN"
	envAppID             = "GITHUB_APP_ID"
	envAppInstallationID = "GITHUB_APP_INSTALLATION_ID"
	envAppPrivateKey     = "GITHUB_APP_PRIVATE_KEY"
	envAppPEMFile        = "GITHUB_APP_PEM_FILE"
)

// credentialPrecedence is the order the provider looks for a credential in, as the docs give it.
const credentialPrecedence = "1. the provider's `token`;\n" +
	"2. the provider's `app_auth` block (each of its settings falls back to its `GITHUB_APP_*` variable);\n" +
	"3. the `GITHUB_TOKEN` environment variable, then `GH_TOKEN`;\n" +
	"4. a GitHub App from the environment: `GITHUB_APP_ID`, `GITHUB_APP_INSTALLATION_ID` and `GITHUB_APP_PRIVATE_KEY` or `GITHUB_APP_PEM_FILE`;\n" +
	"5. the GitHub CLI: `gh auth token --hostname HOST`, when `gh` is on `PATH` and logged in to that host."

// credential is what Configure found: a token or an App, and where it came from (for logs and
// errors; never the secret itself).
type credential struct {
	token  string
	app    *githubclient.AppCredentials
	source string
	// secrets are the values to mask in logs, should any ever reach one.
	secrets []string
}

// resolveCredential looks for a credential in the documented order (credentialPrecedence) and
// says, when it finds none, every source it tried.
func resolveCredential(ctx context.Context, config providerModel, apiRoot string) (credential, diag.Diagnostics) {
	var diags diag.Diagnostics
	if token := config.Token.ValueString(); token != "" {
		return credential{token: token, source: "the provider's token", secrets: []string{token}}, nil
	}
	if config.AppAuth != nil {
		app, d := appFromBlock(*config.AppAuth)
		diags.Append(d...)
		if diags.HasError() {
			return credential{}, diags
		}
		return appCredential(app, "the provider's app_auth block"), diags
	}
	for _, name := range []string{envToken, envGHToken} {
		if token := os.Getenv(name); token != "" {
			return credential{token: token, source: name, secrets: []string{token}}, nil
		}
	}
	if app, set, err := appFromEnvironment(); set {
		if err != nil {
			diags.AddError("Incomplete GitHub App settings in the environment",
				"No token is configured, so the provider tried the GitHub App named by the environment. "+
					"Set all of "+envAppID+", "+envAppInstallationID+" and "+envAppPrivateKey+" or "+envAppPEMFile+", or give a token.\n\nOriginal Error: "+err.Error())
			return credential{}, diags
		}
		return appCredential(app, "the GITHUB_APP_* environment variables"), nil
	}
	host := githubclient.GitHubCLIHost(apiRoot)
	token, err := githubclient.TokenFromGitHubCLI(ctx, host)
	if err == nil {
		return credential{token: token, source: "gh auth token --hostname " + host, secrets: []string{token}}, nil
	}
	ghResult := "gh is not on PATH"
	if !errors.Is(err, githubclient.ErrGitHubCLINotFound) {
		ghResult = err.Error()
	}
	diags.AddAttributeError(path.Root("token"), "No GitHub credentials",
		"The provider looked for a credential in this order and found none:\n"+strings.ReplaceAll(credentialPrecedence, "`", "")+
			"\n\nSet one of them: a token that can manage code scanning for your repositories, or a GitHub App installation. "+
			"The GitHub CLI answered: "+ghResult)
	return credential{}, diags
}

func appCredential(app githubclient.AppCredentials, source string) credential {
	return credential{
		app:     &app,
		source:  fmt.Sprintf("%s (GitHub App %s, installation %d)", source, app.AppID, app.InstallationID),
		secrets: []string{string(app.PrivateKey)},
	}
}

// appFromBlock reads app_auth, each setting falling back to its environment variable.
func appFromBlock(block appAuthModel) (githubclient.AppCredentials, diag.Diagnostics) {
	var diags diag.Diagnostics
	id := firstSet(block.ID.ValueString(), os.Getenv(envAppID))
	installation := firstSet(block.InstallationID.ValueString(), os.Getenv(envAppInstallationID))
	key, keyFile := block.PrivateKey.ValueString(), block.PrivateKeyFile.ValueString()
	keyName, fileName := "app_auth's private_key", "app_auth's private_key_file"
	if key == "" && keyFile == "" {
		key, keyFile = os.Getenv(envAppPrivateKey), os.Getenv(envAppPEMFile)
		keyName, fileName = envAppPrivateKey, envAppPEMFile
	}
	blockPath := path.Root("app_auth")
	if id == "" {
		diags.AddAttributeError(blockPath.AtName("id"), "Missing GitHub App ID", "Set app_auth's id (or "+envAppID+") to the App's ID or client ID.")
	}
	installationID, err := strconv.ParseInt(installation, 10, 64)
	if err != nil || installationID <= 0 {
		diags.AddAttributeError(blockPath.AtName("installation_id"), "Missing or invalid installation ID",
			"Set app_auth's installation_id (or "+envAppInstallationID+") to the number of the App's installation on your organization, "+
				"shown in the installation's settings URL.")
	}
	pemBytes, err := privateKey(key, keyFile)
	keyAttr, given := blockPath.AtName("private_key"), keyName
	if key == "" && keyFile != "" {
		keyAttr, given = blockPath.AtName("private_key_file"), fileName+" ("+keyFile+")"
	}
	switch {
	case err != nil && key == "" && keyFile != "":
		diags.AddAttributeError(keyAttr, "Unreadable GitHub App private key file",
			"The file "+fileName+" names, "+keyFile+", cannot be read. Set "+fileName+" to the path of the App's .pem private key file "+
				"(relative paths are from the directory Terraform runs in), or give the key itself in private_key.\n\nOriginal Error: "+err.Error())
	case err != nil:
		diags.AddAttributeError(keyAttr, "Missing GitHub App private key",
			"Set app_auth's private_key (or "+envAppPrivateKey+") to the App's PEM private key, or private_key_file (or "+envAppPEMFile+") to its file.\n\nOriginal Error: "+err.Error())
	default:
		if _, err := githubclient.ParseAppPrivateKey(pemBytes); err != nil {
			diags.AddAttributeError(keyAttr, "Unusable GitHub App private key", appKeyDetail(given, err))
		}
	}
	return githubclient.AppCredentials{AppID: id, InstallationID: installationID, PrivateKey: pemBytes}, diags
}

// appKeyDetail says which setting holds a key that is not an App private key, and what to do.
func appKeyDetail(given string, err error) string {
	var keyErr *githubclient.AppKeyError
	if errors.As(err, &keyErr) {
		return "What " + given + " holds is not usable: " + keyErr.Error()
	}
	return "What " + given + " holds is not usable.\n\nOriginal Error: " + err.Error()
}

// appFromEnvironment reads a GitHub App from GITHUB_APP_*; set is false when none of them is.
func appFromEnvironment() (app githubclient.AppCredentials, set bool, err error) {
	id, installation := os.Getenv(envAppID), os.Getenv(envAppInstallationID)
	key, keyFile := os.Getenv(envAppPrivateKey), os.Getenv(envAppPEMFile)
	if id == "" && installation == "" && key == "" && keyFile == "" {
		return app, false, nil
	}
	var missing []string
	required := map[string]string{envAppID: id, envAppInstallationID: installation}
	for _, name := range slices.Sorted(maps.Keys(required)) {
		if required[name] == "" {
			missing = append(missing, name)
		}
	}
	if key == "" && keyFile == "" {
		missing = append(missing, envAppPrivateKey+" or "+envAppPEMFile)
	}
	if len(missing) > 0 {
		return app, true, fmt.Errorf("%s not set", strings.Join(missing, ", "))
	}
	installationID, err := strconv.ParseInt(installation, 10, 64)
	if err != nil || installationID <= 0 {
		return app, true, fmt.Errorf("%s is not a positive number", envAppInstallationID)
	}
	pemBytes, err := privateKey(key, keyFile)
	if err != nil {
		return app, true, err
	}
	if _, err := githubclient.ParseAppPrivateKey(pemBytes); err != nil {
		given := envAppPrivateKey
		if key == "" {
			given = envAppPEMFile + " (" + keyFile + ")"
		}
		return app, true, errors.New(appKeyDetail(given, err))
	}
	return githubclient.AppCredentials{AppID: id, InstallationID: installationID, PrivateKey: pemBytes}, true, nil
}

// privateKey is the PEM key given inline or in a file. An inline key written on one line with
// "\n" escapes (as environment variables and CI secrets often hold it) is unfolded.
func privateKey(inline, file string) ([]byte, error) {
	switch {
	case inline != "":
		if !strings.Contains(inline, "\n") {
			inline = strings.ReplaceAll(inline, `\n`, "\n")
		}
		return []byte(inline), nil
	case file != "":
		raw, err := os.ReadFile(file)
		if err != nil {
			// The error names the file, never its content.
			return nil, fmt.Errorf("reading the private key file: %w", err)
		}
		return raw, nil
	default:
		return nil, errors.New("no private key given")
	}
}
