output "default_setups" {
  description = "What each repository runs, as GitHub reports it."
  value = {
    for name, r in codescanning_default_setup.this : name => {
      state        = r.state
      languages    = r.languages
      query_suite  = r.query_suite
      threat_model = r.threat_model
      runner       = r.runner_type == "labeled" ? "labeled: ${r.runner_label}" : r.runner_type
      last_run     = r.run_html_url
    }
  }
}

output "dismissed_alerts" {
  description = "The dismissed alerts' addresses on GitHub."
  value       = sort([for d in codescanning_alert_dismissal.this : d.html_url])
}
