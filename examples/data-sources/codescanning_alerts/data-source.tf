terraform {
  required_providers {
    codescanning = {
      source  = "codescanning/codescanning"
      version = "~> 0.1"
    }
  }
}

# Open high-severity CodeQL alerts on the default branch of one repository.
data "codescanning_alerts" "high" {
  repository = "my-org/service"
  tool_name  = "CodeQL"
  state      = "open"
  severity   = "high"
}

# Every open alert in the organization, newest first, at most 500.
data "codescanning_alerts" "org" {
  organization = "my-org"
  state        = "open"
  sort         = "created"
  direction    = "desc"
  max_results  = 500
}

output "high_alert_urls" {
  value = [for a in data.codescanning_alerts.high.alerts : a.html_url]
}

output "open_alerts_per_repository" {
  value = { for a in data.codescanning_alerts.org.alerts : a.repository_full_name => a.number... }
}
