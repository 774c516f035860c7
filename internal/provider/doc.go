// Package provider is the Terraform glue of the codescanning provider: schemas, models, CRUD and
// the mapping between Terraform values and the GitHub client's types.
//
// It holds no HTTP of its own: every GitHub call goes through internal/githubclient. It never
// imports the emulator outside tests.
package provider
