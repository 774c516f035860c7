// Package emulator is an in-memory stand-in for the parts of GitHub's REST API that the provider
// uses: repositories, code scanning default setup, the workflow runs that a default setup
// change starts, and code scanning's data: alerts (listed, paged, triaged), analyses, CodeQL
// databases and SARIF uploads (processed into analyses, without making alerts), and an
// organization's code security configurations (attached by a job, defaults for new
// repositories, enforcement over a repository's default setup). Tests and the demo command
// point the client at it so the provider can be
// exercised end to end without a GitHub account, including behaviour that is slow or hard to
// provoke on github.com: runs that fail, changes that conflict, tokens that are refused, and
// the faults and limits of GitHub at scale (Config.Faults and Network(), served by package
// netsim's middleware: server errors, dropped connections, slow answers, secondary and primary
// rate limits, ETags with uncharged 304s), GitHub Enterprise
// Server's flavour (EnterpriseVersion), GitHub App installation tokens (App), and the
// permissions of installation and fine-grained tokens (App.Permissions, TokenPermissions,
// OrganizationRoles), refused as GitHub refuses them.
//
// The contract is GitHub's OpenAPI description (testdata/api.github.com.json, and for GHES
// testdata/ghes-3.17.json and ghes-3.19.json); the contract test validates every answer against
// the schema of the operation it answers, in the description of the server the emulator plays. Where the description
// leaves behaviour open, the emulator follows GitHub's documentation, and each choice is noted
// beside the code that makes it.
//
// It must not import the provider or the client package: a shared bug would then hide itself.
// It uses nothing beyond the standard library, so it cannot drag dependencies into production
// builds. It starts no goroutines of its own: runs and attachments advance lazily, from the
// clock, whenever a request or an accessor looks at them, so a test that finishes leaves nothing running.
package emulator
