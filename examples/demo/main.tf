# The demo configuration: `make demo` applies it to three repositories of the embedded GitHub
# and dismisses one alert. Against real GitHub, set github_base_url to "" (or leave
# GITHUB_BASE_URL unset), GITHUB_TOKEN, owner to your organization, and dismissed_alert to an
# alert of its payments-api repository.

terraform {
  required_providers {
    codescanning = {
      source  = "codescanning/codescanning"
      version = "~> 0.1"
    }
  }
}

variable "github_base_url" {
  description = "GitHub API address; the demo points it at the embedded GitHub."
  type        = string
  default     = ""
}

variable "owner" {
  description = "Organization that owns the repositories."
  type        = string
  default     = "octo-org"
}

variable "dismissed_alert" {
  description = "Number of the payments-api alert to dismiss."
  type        = number
  default     = 1
}

provider "codescanning" {
  base_url = var.github_base_url
  owner    = var.owner
}

# A Go and TypeScript service: every query, local sources too.
resource "codescanning_default_setup" "payments" {
  repository   = "payments-api"
  languages    = ["go", "javascript-typescript"]
  query_suite  = "extended"
  threat_model = "remote_and_local"
}

# Let GitHub pick the languages it detects.
resource "codescanning_default_setup" "frontend" {
  repository = "web-frontend"
}

# Analyzed on the organization's self-hosted runners.
resource "codescanning_default_setup" "pipeline" {
  repository   = "data-pipeline"
  languages    = ["python"]
  runner_type  = "labeled"
  runner_label = "code-scanning"
}

# A finding in test data, dismissed in review with the reason on record.
resource "codescanning_alert_dismissal" "test_fixture" {
  repository   = "payments-api"
  alert_number = var.dismissed_alert
  reason       = "used in tests"
  comment      = "Fixture credential in internal/testdata; never used outside tests."
}

output "default_setups" {
  description = "What GitHub now runs in each repository, and where to see its last run."
  value = {
    for r in [
      codescanning_default_setup.payments,
      codescanning_default_setup.frontend,
      codescanning_default_setup.pipeline,
    ] : r.repository => "${join(" ", sort(tolist(r.languages)))} (${r.query_suite}, ${r.runner_type} runners): ${r.run_html_url}"
  }
}

output "dismissed_alert" {
  description = "The dismissed alert, and why."
  value       = "${codescanning_alert_dismissal.test_fixture.html_url}: ${codescanning_alert_dismissal.test_fixture.reason}"
}
