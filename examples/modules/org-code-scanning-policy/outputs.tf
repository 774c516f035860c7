output "default_setups" {
  description = "What each repository with a codescanning_default_setup of its own runs, as GitHub reports it: every repository in per-repository mode, those that ask for more than the configuration in configuration mode."
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

output "configuration" {
  description = "Configuration mode: the configuration's ID and web page, and the repositories its attachment covers (name to ID); null in per-repository mode."
  value = local.configuration_mode ? {
    configuration_id = codescanning_security_configuration.this[0].configuration_id
    html_url         = codescanning_security_configuration.this[0].html_url
    repositories     = codescanning_security_configuration_attachment.this[0].repository_ids
  } : null
}

output "dismissed_alerts" {
  description = "The dismissed alerts' addresses on GitHub."
  value       = sort([for d in codescanning_alert_dismissal.this : d.html_url])
}
