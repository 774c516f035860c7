terraform {
  required_providers {
    codescanning = {
      source  = "codescanning/codescanning"
      version = "~> 0.1"
    }
  }
}

# A reviewed dismissal: the reason and comment live in version control.
resource "codescanning_alert_dismissal" "sanitized_input" {
  repository   = "my-org/service"
  alert_number = 42
  reason       = "false positive"
  comment      = "Input is sanitized by internal/validate before it reaches the query."
}

# Assign the alert while dismissing it; where dismissal is delegated to reviewers, ask for it.
resource "codescanning_alert_dismissal" "fixture_secret" {
  repository     = "my-org/service"
  alert_number   = 57
  reason         = "used in tests"
  comment        = "Test fixture; never deployed."
  assignees      = ["octocat"]
  create_request = true
}
