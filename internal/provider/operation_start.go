package provider

import (
	"context"
	"time"

	datasourcetimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// The start every CRUD call and data source read shares, written once: read the model from
// Terraform, bound the context by the operation's timeout, resolve the repository it names.
// A resource's Create reads:
//
//	func (r *fooResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
//		var plan fooModel
//		ctx, repo, done, ok := startOperation(ctx, r.data, req.Plan, &plan, timeouts.Value.Create, fooCreateTimeout, &resp.Diagnostics)
//		defer done()
//		if !ok {
//			return
//		}
//		// ... r.data.client.Foo(ctx, repo, ...)
//	}
//
// and a data source's Read, with the data sources' timeouts.read:
//
//	ctx, repo, done, ok := startRead(ctx, d.data, req.Config, &config, &resp.Diagnostics)
//
// Without a timeouts block pass noTimeout; a model read separately (or attribute by attribute)
// passes nil. A schema with no repository attribute (an organization's setting) uses
// withTimeout alone.

// tfValues is what a CRUD call reads its model from: req.Plan, req.State or req.Config.
type tfValues interface {
	Get(ctx context.Context, target any) diag.Diagnostics
	GetAttribute(ctx context.Context, p path.Path, target any) diag.Diagnostics
}

// operationTimeout is one operation's method of a timeouts block, named as a method
// expression: a resource's timeouts.Value.Create (Read, Update, Delete), a data source's
// timeouts.Value.Read.
type operationTimeout[T any] func(T, context.Context, time.Duration) (time.Duration, diag.Diagnostics)

// noTimeout is the operationTimeout of a schema without a timeouts block: no deadline but the
// caller's.
var noTimeout operationTimeout[struct{}]

// startOperation reads model (unless nil) from from, bounds ctx by the timeouts block's
// timeout for the operation (byDefault when the configuration sets none) and resolves the
// repository attribute, a bare name taking the provider's owner (a null one, which only an
// optional attribute can be, leaves repo zero). ok is false once diags holds
// an error; done is never nil, so it may be deferred before ok is looked at.
func startOperation[T any](ctx context.Context, data *providerData, from tfValues, model any, timeout operationTimeout[T], byDefault time.Duration, diags *diag.Diagnostics) (_ context.Context, repo githubclient.Repository, done context.CancelFunc, ok bool) {
	if model != nil {
		diags.Append(from.Get(ctx, model)...)
		if diags.HasError() {
			return ctx, repo, func() {}, false
		}
	}
	ctx, done, ok = withTimeout(ctx, from, timeout, byDefault, diags)
	if !ok {
		return ctx, repo, done, false
	}
	var repository types.String
	diags.Append(from.GetAttribute(ctx, path.Root("repository"), &repository)...)
	if diags.HasError() {
		return ctx, repo, done, false
	}
	if repository.IsNull() {
		// Optional, and not set: codescanning_alerts of an organization.
		return ctx, repo, done, true
	}
	repo, ok = resolveRepository(ctx, data, path.Root("repository"), repository.ValueString(), diags)
	return ctx, repo, done, ok
}

// startRead is startOperation for a data source's Read: every data source has the same
// timeouts block (readTimeoutsBlock).
func startRead(ctx context.Context, data *providerData, config tfValues, model any, diags *diag.Diagnostics) (context.Context, githubclient.Repository, context.CancelFunc, bool) {
	return startOperation(ctx, data, config, model, datasourcetimeouts.Value.Read, dataSourceReadTimeout, diags)
}

// withTimeout bounds ctx by the timeout the timeouts block in from sets for the operation, or
// byDefault; with noTimeout, ctx is left as it is. ok is false when the setting is invalid
// (the diagnostic is in diags); cancel is never nil.
func withTimeout[T any](ctx context.Context, from tfValues, timeout operationTimeout[T], byDefault time.Duration, diags *diag.Diagnostics) (_ context.Context, cancel context.CancelFunc, ok bool) {
	if timeout == nil {
		return ctx, func() {}, true
	}
	var block T
	d := from.GetAttribute(ctx, path.Root("timeouts"), &block)
	diags.Append(d...)
	if d.HasError() {
		return ctx, func() {}, false
	}
	limit, d := timeout(block, ctx, byDefault)
	diags.Append(d...)
	if d.HasError() {
		return ctx, func() {}, false
	}
	ctx, cancel = context.WithTimeout(ctx, limit)
	return ctx, cancel, true
}

// startOrgOperation is startOperation for a schema without a repository attribute (an
// organization's code security configuration): it reads model and bounds ctx alone.
func startOrgOperation[T any](ctx context.Context, from tfValues, model any, timeout operationTimeout[T], byDefault time.Duration, diags *diag.Diagnostics) (context.Context, context.CancelFunc, bool) {
	diags.Append(from.Get(ctx, model)...)
	if diags.HasError() {
		return ctx, func() {}, false
	}
	return withTimeout(ctx, from, timeout, byDefault, diags)
}
