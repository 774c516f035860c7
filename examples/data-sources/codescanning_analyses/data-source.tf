terraform {
  required_providers {
    codescanning = {
      source  = "codescanning/codescanning"
      version = "~> 0.1"
    }
  }
}

# The CodeQL analyses of the default branch, newest first.
data "codescanning_analyses" "main" {
  repository = "my-org/service"
  tool_name  = "CodeQL"
  ref        = "refs/heads/main"
}

# The latest analysis of pull request 42, by any tool.
data "codescanning_analyses" "pr" {
  repository  = "my-org/service"
  pr          = 42
  max_results = 1
}

output "analyses_with_errors" {
  value = [for a in data.codescanning_analyses.main.analyses : a.id if a.error != ""]
}

output "results_per_category" {
  value = { for a in data.codescanning_analyses.main.analyses : a.category => a.results_count... }
}
