# Dismiss every open alert of one rule whose location is a test file, as "used in tests".
# New matching alerts are dismissed on the next apply; an alert someone reopens in the UI is
# dismissed again. Copy this into a module of your own and set the variables.

variable "repository" {
  description = "Repository as owner/name."
  type        = string
}

variable "rule_id" {
  description = "The rule whose alerts in test code are not worth fixing."
  type        = string
  default     = "go/hardcoded-credentials"
}

# Open and dismissed alerts alike: filtering on "open" would drop each alert from the map as soon
# as it is dismissed, and the next apply would reopen it.
data "codescanning_alerts" "rule" {
  repository = var.repository
  tool_name  = "CodeQL"
}

locals {
  in_tests = {
    for a in data.codescanning_alerts.rule.alerts : tostring(a.number) => a
    if a.rule.id == var.rule_id && a.state != "fixed" && (
      contains(a.most_recent_instance.classifications, "test") ||
      can(regex("(^|/)(test|tests|testdata)/|_test\\.go$", a.most_recent_instance.path))
    )
  }
}

resource "codescanning_alert_dismissal" "in_tests" {
  for_each     = local.in_tests
  repository   = var.repository
  alert_number = each.value.number
  reason       = "used in tests"
  comment      = "${var.rule_id} in test code (${each.value.most_recent_instance.path}); reviewed as not reachable from production."
}

output "dismissed" {
  value = sort([for k, r in codescanning_alert_dismissal.in_tests : r.html_url])
}
