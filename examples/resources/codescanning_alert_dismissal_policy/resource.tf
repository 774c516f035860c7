terraform {
  required_providers {
    codescanning = {
      source  = "codescanning/codescanning"
      version = "~> 0.1"
    }
  }
}

# CodeQL default setup has no paths-ignore: dismiss, now and as they arrive, the alerts in test
# and vendored code. The plan lists the alerts an apply dismisses (pending).
resource "codescanning_alert_dismissal_policy" "tests_and_vendor" {
  name       = "tests-and-vendor"
  repository = "my-org/service"
  paths      = ["test/**", "**/*_test.go", "**/vendor/**"]
  reason     = "used in tests"
  comment    = "Test or vendored code, not shipped."
}

# Across an organization: one rule family of one tool, in generated code.
resource "codescanning_alert_dismissal_policy" "generated" {
  name         = "generated-js"
  organization = "my-org"
  tool_name    = "CodeQL"
  rule_ids     = ["js/*"]
  paths        = ["**/generated/**", "**/*.min.js"]
  reason       = "won't fix"
  comment      = "Generated code; fixed at its generator."
}
