variable "owner" {
  description = "Organization that owns the repositories."
  type        = string
}

variable "defaults" {
  description = "The organization's code scanning policy, for every repository that does not override it. Unset values are left to GitHub. In configuration mode only runner_type, runner_label (the configuration's runners) and wait_for_run (of the repositories' own resources) apply: a configuration has no query suite or threat model."
  type = object({
    query_suite  = optional(string)
    threat_model = optional(string)
    runner_type  = optional(string)
    runner_label = optional(string)
    # An organization-wide rollout should not wait for hundreds of first analyses.
    wait_for_run = optional(bool, false)
  })
  default = {}
}

variable "repositories" {
  description = "Repositories to manage, by name, each with optional overrides of the defaults. Omitted languages are the ones GitHub detects. In configuration mode the configuration covers every repository of its scope whether listed or not: list those that need more than it gives (languages, query_suite, threat_model, runner_type), each of which gets a codescanning_default_setup of its own."
  type = map(object({
    state        = optional(string, "configured")
    languages    = optional(set(string))
    query_suite  = optional(string)
    threat_model = optional(string)
    runner_type  = optional(string)
    runner_label = optional(string)
  }))
}

variable "configuration" {
  description = <<-EOT
    Configuration mode, in place of one codescanning_default_setup per repository: one code security
    configuration turning default setup on, attached to the organization's repositories (scope) and
    the default for new ones (default_for_new_repos). null (the default) keeps per-repository mode.
    enforcement must be "unenforced" while any repository asks for more than the configuration
    gives: an enforced configuration refuses repository-level changes.
  EOT
  type = object({
    name                  = optional(string, "Code scanning policy")
    description           = optional(string, "Code scanning default setup for every repository; managed by Terraform.")
    enforcement           = optional(string, "unenforced")
    default_for_new_repos = optional(string, "all")
    scope                 = optional(string, "all")
    # GitHub Code Security (GHES from 3.19); GitHub's choice when unset.
    code_security = optional(string)
    # How long attaching every repository of the scope may take.
    attach_timeout = optional(string, "30m")
  })
  default = null

  validation {
    condition     = var.configuration == null || contains(["enforced", "unenforced"], try(var.configuration.enforcement, ""))
    error_message = "configuration.enforcement must be \"enforced\" or \"unenforced\"."
  }
  validation {
    condition     = var.configuration == null || contains(["all", "none", "private_and_internal", "public"], try(var.configuration.default_for_new_repos, ""))
    error_message = "configuration.default_for_new_repos must be one of \"all\", \"none\", \"private_and_internal\", \"public\"."
  }
}

variable "dismissals" {
  description = "Alert dismissals, reviewed with the policy."
  type = list(object({
    repository   = string
    alert_number = number
    reason       = string
    comment      = optional(string)
  }))
  default = []
}
