terraform {
  required_providers {
    codescanning = {
      source  = "codescanning/codescanning"
      version = "~> 0.1"
    }
  }
}

# Code scanning default setup for every repository it is attached to, enforced, and the default
# for new repositories. Every setting left out is GitHub's choice.
resource "codescanning_security_configuration" "baseline" {
  organization = "my-org"
  name         = "Code scanning baseline"
  description  = "Default setup everywhere; repositories cannot turn it off."

  code_security               = "enabled"
  code_scanning_default_setup = "enabled"
  dependency_graph            = "enabled"
  dependabot_alerts           = "enabled"
  enforcement                 = "enforced"
  default_for_new_repos       = "all"
}

# Every secret scanning setting, default setup on self-hosted runners, and repositories free to
# override the configuration.
resource "codescanning_security_configuration" "strict" {
  organization = "my-org"
  name         = "Strict"

  code_security                            = "enabled"
  secret_protection                        = "enabled"
  code_scanning_default_setup              = "enabled"
  code_scanning_default_setup_runner_type  = "labeled"
  code_scanning_default_setup_runner_label = "code-scanning"
  code_scanning_allow_advanced             = true
  code_scanning_delegated_alert_dismissal  = "enabled"
  secret_scanning                          = "enabled"
  secret_scanning_push_protection          = "enabled"
  secret_scanning_validity_checks          = "enabled"
  secret_scanning_non_provider_patterns    = "enabled"
  secret_scanning_delegated_bypass         = "enabled"
  secret_scanning_delegated_bypass_reviewers = [
    { reviewer_id = 4242, reviewer_type = "TEAM" },
    { reviewer_id = 5, reviewer_type = "ROLE", mode = "EXEMPT" },
  ]
  private_vulnerability_reporting = "enabled"
  enforcement                     = "unenforced"
}
