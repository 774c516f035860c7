variable "owner" {
  description = "Organization that owns the repositories."
  type        = string
}

variable "defaults" {
  description = "The organization's code scanning policy, for every repository that does not override it. Unset values are left to GitHub."
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
  description = "Repositories to manage, by name, each with optional overrides of the defaults. Omitted languages are the ones GitHub detects."
  type = map(object({
    state        = optional(string, "configured")
    languages    = optional(set(string))
    query_suite  = optional(string)
    threat_model = optional(string)
    runner_type  = optional(string)
    runner_label = optional(string)
  }))
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
