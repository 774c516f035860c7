terraform {
  required_providers {
    codescanning = {
      source  = "codescanning/codescanning"
      version = "~> 0.1"
    }
  }
}

# Where alert 42 shows up in pull request 7.
data "codescanning_alert_instances" "in_pr" {
  repository   = "my-org/service"
  alert_number = 42
  pr           = 7
}

output "locations" {
  value = [for i in data.codescanning_alert_instances.in_pr.instances : "${i.path}:${i.start_line}"]
}
