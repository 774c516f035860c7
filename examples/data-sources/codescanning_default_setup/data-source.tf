terraform {
  required_providers {
    codescanning = {
      source  = "codescanning/codescanning"
      version = "~> 0.1"
    }
  }
}

# Read default setup where another team manages it.
data "codescanning_default_setup" "service" {
  repository = "my-org/service"
}

output "service_languages" {
  value = data.codescanning_default_setup.service.state == "configured" ? data.codescanning_default_setup.service.languages : []
}
