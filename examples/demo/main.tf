# The demo configuration: `make demo` applies it to three repositories of the embedded GitHub.
# Against real GitHub, set github_base_url to "" (or leave GITHUB_BASE_URL unset), GITHUB_TOKEN,
# and owner to your organization.

terraform {
  required_providers {
    codescanning = {
      source = "codescanning/codescanning"
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

output "default_setups" {
  description = "What GitHub now runs in each repository."
  value = {
    for r in [
      codescanning_default_setup.payments,
      codescanning_default_setup.frontend,
      codescanning_default_setup.pipeline,
      ] : r.id => {
      languages    = sort(tolist(r.languages))
      query_suite  = r.query_suite
      threat_model = r.threat_model
      runner       = r.runner_type == "labeled" ? "labeled: ${r.runner_label}" : r.runner_type
      last_run     = r.run_html_url
    }
  }
}
