// Package validators holds the provider's own attribute validators: plan-time checks the
// framework's validators (stringvalidator.OneOf and the like) cannot word as helpfully, each
// saying what to write instead of what was written.
//
// It knows nothing of the provider's schemas or models: what a validator accepts is passed in
// or is the GitHub client's own list. It sends no request.
package validators
