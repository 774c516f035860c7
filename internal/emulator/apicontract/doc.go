// Package apicontract is GitHub's contract for tests: the OpenAPI descriptions of github.com and
// of each GHES release (internal/emulator/testdata, cut to the operations the emulator serves),
// each parsed once, and a check of one exchange, request and answer, against the operation it
// calls. The emulator's tests check its answers with it, the provider's tests the requests the
// provider sends, so both read the same contract the same way.
//
// It is test support: it imports kin-openapi, which production code must not pull in, so only
// _test.go files import it.
package apicontract
