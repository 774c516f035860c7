locals {
  # Each repository's settings: its own override where it has one, else the organization default.
  settings = {
    for name, r in var.repositories : name => {
      state        = r.state
      languages    = r.state == "configured" ? r.languages : null
      query_suite  = r.state == "configured" ? (r.query_suite != null ? r.query_suite : var.defaults.query_suite) : null
      threat_model = r.state == "configured" ? (r.threat_model != null ? r.threat_model : var.defaults.threat_model) : null
      runner_type  = r.state == "configured" ? (r.runner_type != null ? r.runner_type : var.defaults.runner_type) : null
      runner_label = r.state == "configured" ? (r.runner_type != null ? r.runner_label : var.defaults.runner_label) : null
    }
  }
}

resource "codescanning_default_setup" "this" {
  for_each = local.settings

  repository   = "${var.owner}/${each.key}"
  state        = each.value.state
  languages    = each.value.languages
  query_suite  = each.value.query_suite
  threat_model = each.value.threat_model
  runner_type  = each.value.runner_type
  runner_label = each.value.runner_label
  wait_for_run = var.defaults.wait_for_run
}

resource "codescanning_alert_dismissal" "this" {
  for_each = { for d in var.dismissals : "${d.repository}#${d.alert_number}" => d }

  repository   = "${var.owner}/${each.value.repository}"
  alert_number = each.value.alert_number
  reason       = each.value.reason
  comment      = each.value.comment
}
