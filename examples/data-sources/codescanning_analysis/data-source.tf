terraform {
  required_providers {
    codescanning = {
      source  = "codescanning/codescanning"
      version = "~> 0.1"
    }
  }
}

data "codescanning_analyses" "latest" {
  repository  = "my-org/service"
  tool_name   = "CodeQL"
  max_results = 1
}

# The latest CodeQL analysis, with its results as a SARIF log.
data "codescanning_analysis" "latest" {
  repository  = "my-org/service"
  analysis_id = data.codescanning_analyses.latest.analyses[0].id
  sarif       = true
}

output "rule_ids" {
  value = distinct(flatten([
    for run in jsondecode(data.codescanning_analysis.latest.sarif_json).runs : [for r in run.results : r.ruleId]
  ]))
}
