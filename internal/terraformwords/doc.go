// Package terraformwords finds where a package's own Go files speak Terraform: a comment or a
// string that names a Terraform command, block or setting of this provider. The client and the
// transport speak GitHub only (the provider turns their typed errors into advice), and their
// tests call Find to keep it so.
//
// It is test tooling: only tests import it, and it must not import any package of the project.
package terraformwords
