package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// checkPlannedDismissalRequest fails the plan for create_request = true when the server has
// already said (in this run's refresh) that it runs a GitHub Enterprise Server release without
// dismissal requests. Otherwise the client refuses it at apply, before sending anything.
func checkPlannedDismissalRequest(data *providerData, createRequest types.Bool, diags *diag.Diagnostics) {
	if data == nil || data.client == nil || !createRequest.ValueBool() {
		return
	}
	if err := data.client.KnownWithoutDismissalRequests(); err != nil {
		diags.AddAttributeError(path.Root("create_request"), "Dismissal requests not available on this server",
			adviceFor(err)+"\n\nOriginal Error: "+err.Error())
	}
}
