package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// stateSetter is resp.State of Create and Update alike.
type stateSetter interface {
	Set(ctx context.Context, val any) diag.Diagnostics
}

// apply sends the configuration, waits for its run when asked to, and records what GitHub then
// holds; prior is nil for a create. Once GitHub has accepted a change the state is always
// written. An update that then fails (its run failed, or outlived the timeout) is an error, with
// the state from a fresh read of GitHub. A create is not: the framework marks a created resource
// tainted whenever Create returns an error, and the next apply would replace it, turning default
// setup off and on again. Default setup is a setting of the repository, not an object to
// recreate, so finishCreate reports such a failure as a warning.
func (r *defaultSetupResource) apply(ctx context.Context, repo githubclient.Repository, plan, config defaultSetupModel, prior *defaultSetupModel, state stateSetter, private privateState, diags *diag.Diagnostics) {
	creating := prior == nil
	update, d := desiredUpdate(ctx, config)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	tflog.Info(ctx, "updating code scanning default setup", map[string]any{"repository": repo.String(), "state": update.State})
	run, failure := r.data.client.UpdateDefaultSetup(ctx, repo, update)
	var notShown *githubclient.NotShownError
	accepted := creating && errors.As(failure, &notShown)
	if failure != nil && !accepted {
		addDefaultSetupChangeError(ctx, r.data.client, diags, "Cannot update code scanning default setup of "+repo.String(), repo, failure)
		return
	}
	// GitHub has accepted the change (a 200 not yet shown is GitHub saying it holds it).

	result := plan
	result.ID = types.StringValue(repo.String())
	result.RunID, result.RunURL, result.RunHTMLURL = types.Int64Null(), types.StringNull(), types.StringNull()
	if prior != nil {
		result.RunID, result.RunURL, result.RunHTMLURL = prior.RunID, prior.RunURL, prior.RunHTMLURL
	}
	waitForRun := plan.WaitForRun.ValueBool()
	if run != nil {
		result.RunID, result.RunURL = types.Int64Value(run.ID), types.StringValue(run.URL)
		result.RunHTMLURL = types.StringNull()
		if link := r.data.client.RunWebURL(repo, run.ID); link != "" {
			result.RunHTMLURL = types.StringValue(link)
		}
		unwaited := run
		if waitForRun {
			unwaited = nil
		}
		diags.Append(rememberUnwaitedRun(ctx, private, unwaited, plan)...)
		if waitForRun {
			var status *githubclient.RunStatus
			status, failure = r.data.client.WaitForDefaultSetupRun(ctx, repo, *run, update)
			if status != nil && status.HTMLURL != "" {
				result.RunHTMLURL = types.StringValue(status.HTMLURL)
			}
		}
	}
	// The read gets its own short deadline: after a run that used up the operation's time, or
	// an interrupt, the state must still be recorded.
	readCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), defaultSetupReadTimeout)
	defer cancel()
	current, readErr := r.data.client.GetDefaultSetup(readCtx, repo)
	if readErr == nil {
		diags.Append(result.setFromGitHub(ctx, current)...)
	}
	// Without waiting, GitHub may show the old configuration until the run ends; what was asked
	// for is what the run applies, and the next refresh shows any difference.
	compare := readErr == nil && failure == nil && (waitForRun || run == nil)

	if creating {
		finishCreate(ctx, repo, run, plan, result, failure, readErr, compare, state, private, diags)
		return
	}
	if readErr != nil {
		addClientError(diags, "Cannot read code scanning default setup of "+repo.String()+" after changing it", readErr)
	}
	switch {
	case failure != nil:
		addClientError(diags, "Code scanning default setup of "+repo.String()+" did not apply", failure)
		if readErr != nil {
			return // the prior state stands
		}
	case readErr != nil:
		return
	case !compare:
		keepConfigured(&result, plan)
	default:
		if mismatch := differsFromPlan(result, plan); mismatch != "" {
			diags.AddAttributeError(path.Root(mismatch), "GitHub applied a different "+mismatch,
				fmt.Sprintf("After the change, GitHub reports %s = %s for %s, not the planned %s. The server may not support this setting; the state now records what GitHub holds.",
					mismatch, attributeString(result, mismatch), repo, attributeString(plan, mismatch)))
		}
	}
	diags.Append(state.Set(ctx, &result)...)
}

// finishCreate records a create GitHub has accepted, never with an error (see apply). Whatever
// went wrong is a warning; the state holds the plan's values (GitHub's where the plan left them
// to GitHub), so the next refresh reads what GitHub holds and the plan shows any difference as
// an update. A run whose end the apply did not see is kept as the unwaited run, so that refresh
// follows it: still under way, no false drift; failed, a warning names it.
func finishCreate(ctx context.Context, repo githubclient.Repository, run *githubclient.Run, plan, result defaultSetupModel, failure, readErr error, compare bool, state stateSetter, private privateState, diags *diag.Diagnostics) {
	var runFailed *githubclient.RunFailedError
	var notShown *githubclient.NotShownError
	switch {
	case errors.As(failure, &runFailed):
		diags.Append(acceptedCreateWarning("Default setup run of "+repo.String()+" failed", failure, ""))
	case errors.As(failure, &notShown):
		diags.Append(acceptedCreateWarning("GitHub does not show the default setup of "+repo.String()+" yet", failure,
			" GitHub answered that it already holds this configuration, which a run started earlier (by another apply or workspace) may still be applying."))
	case failure != nil && run != nil:
		diags.Append(rememberUnwaitedRun(ctx, private, run, plan)...)
		diags.Append(acceptedCreateWarning("Default setup run of "+repo.String()+" did not finish during the apply", failure,
			fmt.Sprintf(" The next refresh follows run %d: while it is under way the plan shows no change; if it fails, a warning names it and the plan shows what GitHub dropped.", run.ID)))
	case failure != nil:
		diags.Append(acceptedCreateWarning("Default setup of "+repo.String()+" did not finish during the apply", failure, ""))
	case readErr != nil:
		diags.Append(acceptedCreateWarning("Cannot read code scanning default setup of "+repo.String()+" after changing it", readErr, ""))
	case compare:
		if mismatch := differsFromPlan(result, plan); mismatch != "" {
			diags.AddAttributeWarning(path.Root(mismatch), "GitHub applied a different "+mismatch,
				fmt.Sprintf("After the change, GitHub reports %s = %s for %s, not the planned %s. The server may not support this setting. %s",
					mismatch, attributeString(result, mismatch), repo, attributeString(plan, mismatch), acceptedCreateRecorded))
		}
	}
	keepConfigured(&result, plan)
	result.nullUnknowns()
	diags.Append(state.Set(ctx, &result)...)
}

// acceptedCreateRecorded says what the state holds after a create that did not go as planned.
const acceptedCreateRecorded = "GitHub accepted the change, so the resource is recorded in the state, not tainted: " +
	"default setup is a setting of the repository, and replacing it would turn code scanning off and on again. " +
	"The state holds the configuration asked for; the next plan reads what GitHub holds and shows any difference as an update."

func acceptedCreateWarning(summary string, err error, next string) diag.Diagnostic {
	advice := adviceFor(err)
	if errors.Is(err, context.Canceled) {
		advice = "The apply was interrupted (Ctrl-C, or a cancelled job) before GitHub's run ended."
	}
	return diag.NewWarningDiagnostic(summary, acceptedCreateRecorded+next+" "+advice+"\n\nOriginal Error: "+err.Error())
}

// nullUnknowns turns values still unknown (the plan left them to GitHub, and no read filled
// them) into nulls, since state after an apply holds no unknowns; the next refresh fills them.
func (m *defaultSetupModel) nullUnknowns() {
	for _, s := range []*types.String{&m.ID, &m.State, &m.QuerySuite, &m.ThreatModel, &m.RunnerType, &m.RunnerLabel, &m.Schedule, &m.UpdatedAt, &m.RunURL, &m.RunHTMLURL} {
		if s.IsUnknown() {
			*s = types.StringNull()
		}
	}
	if m.Languages.IsUnknown() {
		m.Languages = types.SetNull(types.StringType)
	}
	if m.RunID.IsUnknown() {
		m.RunID = types.Int64Null()
	}
	if m.WaitForRun.IsUnknown() {
		m.WaitForRun = types.BoolValue(true)
	}
}

// differsFromPlan names the first setting the plan knows whose value GitHub does not show.
// Terraform requires an apply's result to keep every value its plan knew; the configuration
// alone is not enough (state's default, settings kept from the prior state).
func differsFromPlan(result, plan defaultSetupModel) string {
	for _, name := range []string{"state", "languages", "query_suite", "threat_model", "runner_type", "runner_label"} {
		planned, got := askedSettings(plan)[name], askedSettings(result)[name]
		if !planned.IsUnknown() && !planned.Equal(got) {
			return name
		}
	}
	return ""
}
