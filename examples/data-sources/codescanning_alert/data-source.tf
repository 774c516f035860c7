terraform {
  required_providers {
    codescanning = {
      source  = "codescanning/codescanning"
      version = "~> 0.1"
    }
  }
}

data "codescanning_alert" "this" {
  repository   = "my-org/service"
  alert_number = 42
}

output "rule" {
  value = "${data.codescanning_alert.this.rule.id} in ${data.codescanning_alert.this.most_recent_instance.path}"
}
