terraform {
  required_providers {
    codescanning = {
      source  = "codescanning/codescanning"
      version = "~> 0.1"
    }
  }
}

# GitHub picks the languages it detects; everything else is GitHub's default.
resource "codescanning_default_setup" "docs_site" {
  repository = "my-org/docs-site"
}

# Every setting, on self-hosted runners, with a longer wait for the first analysis.
resource "codescanning_default_setup" "service" {
  repository   = "my-org/service"
  languages    = ["go", "python"]
  query_suite  = "extended"
  threat_model = "remote_and_local"
  runner_type  = "labeled"
  runner_label = "code-scanning"

  timeouts {
    create = "45m"
  }
}

# An organization-wide rollout: return once GitHub accepts each change instead of waiting for a
# thousand first analyses.
variable "repositories" {
  type    = set(string)
  default = ["api", "web", "worker"]
}

resource "codescanning_default_setup" "rollout" {
  for_each     = var.repositories
  repository   = "my-org/${each.key}"
  wait_for_run = false
}

# Keep default setup off in a repository that uses advanced setup.
resource "codescanning_default_setup" "legacy" {
  repository = "my-org/legacy-monolith"
  state      = "not-configured"
}
