locals {
  configuration_mode = var.configuration != null

  # Per-repository mode: each repository's settings, its own override where it has one, else the
  # organization default.
  per_repository = {
    for name, r in var.repositories : name => {
      state        = r.state
      languages    = r.state == "configured" ? r.languages : null
      query_suite  = r.state == "configured" ? (r.query_suite != null ? r.query_suite : var.defaults.query_suite) : null
      threat_model = r.state == "configured" ? (r.threat_model != null ? r.threat_model : var.defaults.threat_model) : null
      runner_type  = r.state == "configured" ? (r.runner_type != null ? r.runner_type : var.defaults.runner_type) : null
      runner_label = r.state == "configured" ? (r.runner_type != null ? r.runner_label : var.defaults.runner_label) : null
    }
  }

  # Configuration mode: the configuration gives every repository default setup with the languages
  # GitHub detects, its default suite and threat model, and the defaults' runners. Only a
  # repository that asks for more gets a resource of its own, and it sets only what it asks for:
  # the rest stays the configuration's.
  beyond_configuration = {
    for name, r in var.repositories : name => {
      state        = "configured"
      languages    = r.languages
      query_suite  = r.query_suite
      threat_model = r.threat_model
      runner_type  = r.runner_type
      runner_label = r.runner_type != null ? r.runner_label : null
    } if r.languages != null || r.query_suite != null || r.threat_model != null || r.runner_type != null
  }

  default_setups = local.configuration_mode ? local.beyond_configuration : local.per_repository

  # What configuration mode cannot do, for the preconditions below to name.
  not_configured  = sort([for name, r in var.repositories : name if r.state != "configured"])
  defaults_beyond = sort([for k in ["query_suite", "threat_model"] : k if var.defaults[k] != null])
  enforced        = local.configuration_mode ? var.configuration.enforcement == "enforced" : false
}

resource "codescanning_security_configuration" "this" {
  count = local.configuration_mode ? 1 : 0

  organization                             = var.owner
  name                                     = var.configuration.name
  description                              = var.configuration.description
  code_security                            = var.configuration.code_security
  code_scanning_default_setup              = "enabled"
  code_scanning_default_setup_runner_type  = var.defaults.runner_type
  code_scanning_default_setup_runner_label = var.defaults.runner_type == "labeled" ? var.defaults.runner_label : null
  enforcement                              = var.configuration.enforcement
  default_for_new_repos                    = var.configuration.default_for_new_repos

  lifecycle {
    precondition {
      condition     = length(local.not_configured) == 0
      error_message = "In configuration mode every repository gets default setup from the configuration, so state = \"not-configured\" cannot hold for ${join(", ", local.not_configured)}: leave them out of repositories (and out of the configuration's scope), or use per-repository mode (configuration = null)."
    }
    precondition {
      condition     = length(local.defaults_beyond) == 0
      error_message = "A code security configuration has no query suite or threat model, so defaults.${join(" and defaults.", local.defaults_beyond)} cannot apply to every repository in configuration mode: set them on the repositories that need them (each then gets its own codescanning_default_setup), or use per-repository mode (configuration = null)."
    }
    precondition {
      condition     = !local.enforced || length(local.beyond_configuration) == 0
      error_message = "An enforced configuration refuses repository-level default setup changes, and ${join(", ", sort(keys(local.beyond_configuration)))} ask for more than the configuration gives: set configuration.enforcement = \"unenforced\", or drop their languages, query_suite, threat_model and runner settings."
    }
  }
}

resource "codescanning_security_configuration_attachment" "this" {
  count = local.configuration_mode ? 1 : 0

  organization     = var.owner
  configuration_id = codescanning_security_configuration.this[0].configuration_id
  scope            = var.configuration.scope

  timeouts {
    create = var.configuration.attach_timeout
    update = var.configuration.attach_timeout
  }
}

resource "codescanning_default_setup" "this" {
  for_each = local.default_setups

  repository   = "${var.owner}/${each.key}"
  state        = each.value.state
  languages    = each.value.languages
  query_suite  = each.value.query_suite
  threat_model = each.value.threat_model
  runner_type  = each.value.runner_type
  runner_label = each.value.runner_label
  wait_for_run = var.defaults.wait_for_run

  # In configuration mode a repository's own settings go on after the configuration reached it,
  # so that what it asks for beyond the configuration is the last word.
  depends_on = [codescanning_security_configuration_attachment.this]
}

resource "codescanning_alert_dismissal" "this" {
  for_each = { for d in var.dismissals : "${d.repository}#${d.alert_number}" => d }

  repository   = "${var.owner}/${each.value.repository}"
  alert_number = each.value.alert_number
  reason       = each.value.reason
  comment      = each.value.comment
}
