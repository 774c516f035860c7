package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// With wait_for_run = false an apply returns before GitHub's run ends, so two things can follow
// that the apply never saw: GitHub may go on showing the old configuration until the run ends,
// and a failed run leaves default setup on with the failing languages dropped. Either shows as
// a difference at the next refresh. The run an apply did not wait for is kept in the resource's
// private state with the settings the apply asked for, and a refresh that finds one of those
// settings different asks GitHub about that run: still under way, the state keeps what the run
// is applying (no false drift); ended, the difference is real, and a failure is explained by a
// warning naming the run. A refresh that finds no such difference asks nothing, so it stays one
// request per resource; values the apply left to GitHub (languages it detects) may change when
// the run ends without that being a question for the run.

// privateKeyUnwaitedRun is the private state key holding the run the last apply did not wait for.
const privateKeyUnwaitedRun = "run_not_waited_for"

// unwaitedRun is what the private state keeps of a run an apply did not wait for.
type unwaitedRun struct {
	Run githubclient.Run `json:"run"`
	// Asked names the settings the apply asked for (known in its plan): only a difference in
	// one of them can be the run still applying it, or the run having failed to.
	Asked []string `json:"asked"`
}

// askedSettings maps each setting an apply can ask for to its value in m.
func askedSettings(m defaultSetupModel) map[string]attr.Value {
	return map[string]attr.Value{
		"state": m.State, "languages": m.Languages, "query_suite": m.QuerySuite,
		"threat_model": m.ThreatModel, "runner_type": m.RunnerType, "runner_label": m.RunnerLabel,
	}
}

// rememberUnwaitedRun records the run an apply started and did not wait for, with the settings
// its plan asked for; a nil run forgets it.
func rememberUnwaitedRun(ctx context.Context, private privateState, run *githubclient.Run, plan defaultSetupModel) diag.Diagnostics {
	if run == nil {
		return private.SetKey(ctx, privateKeyUnwaitedRun, nil)
	}
	record := unwaitedRun{Run: *run}
	asked := askedSettings(plan)
	for _, name := range slices.Sorted(maps.Keys(asked)) { // the private state the same each time
		if !asked[name].IsUnknown() {
			record.Asked = append(record.Asked, name)
		}
	}
	return setPrivateJSON(ctx, private, privateKeyUnwaitedRun, "the default setup run", record)
}

// explainDifference is called by Read with the state (prior) and what GitHub shows (current).
// It leaves current as GitHub's values unless a setting the last apply asked for, without
// waiting for its run, differs and that run is still applying prior's.
func (r *defaultSetupResource) explainDifference(ctx context.Context, repo githubclient.Repository, prior defaultSetupModel, current *defaultSetupModel, private privateState, diags *diag.Diagnostics) {
	raw, d := private.GetKey(ctx, privateKeyUnwaitedRun)
	diags.Append(d...)
	if len(raw) == 0 {
		return
	}
	var record unwaitedRun
	if err := json.Unmarshal(raw, &record); err != nil {
		diags.Append(private.SetKey(ctx, privateKeyUnwaitedRun, nil)...)
		return
	}
	was, is := askedSettings(prior), askedSettings(*current)
	differs := false
	for _, name := range record.Asked {
		if v, ok := was[name]; ok && !v.Equal(is[name]) {
			differs = true
		}
	}
	if !differs {
		return
	}
	run := record.Run
	status, err := r.data.client.GetRun(ctx, repo, run)
	if code := githubclient.StatusCode(err); code == http.StatusForbidden || code == http.StatusNotFound {
		// The token may not read runs (Actions: read), and never will: the difference stands as
		// GitHub shows it, and later refreshes do not ask again.
		tflog.Warn(ctx, "GitHub refused to show the default setup run the last apply did not wait for, so the state shows what GitHub holds, "+
			"which may still be the old configuration while the run goes on. Grant the GitHub App or fine-grained token the repository permission "+
			"Actions: read to have refreshes follow such runs.", map[string]any{"repository": repo.String(), "run_id": run.ID, "error": err.Error()})
		diags.Append(private.SetKey(ctx, privateKeyUnwaitedRun, nil)...)
		return
	}
	if err != nil {
		// The difference stands as GitHub shows it; the next refresh asks again.
		tflog.Warn(ctx, "cannot read the default setup run the last apply did not wait for", map[string]any{"repository": repo.String(), "run_id": run.ID, "error": err.Error()})
		return
	}
	if status.Status != "completed" {
		tflog.Info(ctx, "default setup run still under way; keeping the configuration it applies", map[string]any{"repository": repo.String(), "run_id": run.ID, "status": status.Status})
		keepConfigured(current, prior)
		return
	}
	diags.Append(private.SetKey(ctx, privateKeyUnwaitedRun, nil)...)
	if status.Conclusion == nil || *status.Conclusion != "success" {
		diags.Append(unwaitedRunFailed(repo, *status))
	}
}

// unwaitedRunFailed is the warning for a run that failed after an apply that did not wait for it.
func unwaitedRunFailed(repo githubclient.Repository, run githubclient.RunStatus) diag.Diagnostic {
	conclusion := "(none)"
	if run.Conclusion != nil {
		conclusion = *run.Conclusion
	}
	see := ""
	if run.HTMLURL != "" {
		see = " See " + run.HTMLURL + "."
	}
	return diag.NewWarningDiagnostic("Default setup run of "+repo.String()+" failed",
		fmt.Sprintf("Run %d, started by the last apply (wait_for_run = false), completed with conclusion %q.%s "+
			"GitHub keeps default setup on but drops the languages whose analysis failed, so the state now records what GitHub holds "+
			"and the plan shows the difference. Fix the cause before applying again, or the next run may fail the same way.", run.ID, conclusion, see))
}
