terraform {
  required_providers {
    codescanning = {
      source  = "codescanning/codescanning"
      version = "~> 0.1"
    }
  }
}

# Which configuration manages a repository's settings, and whether it is enforced.
data "codescanning_repository_security_configuration" "service" {
  repository = "my-org/service"
}

output "service_configuration" {
  value = data.codescanning_repository_security_configuration.service.configuration == null ? "none" : "${data.codescanning_repository_security_configuration.service.configuration.name} (${data.codescanning_repository_security_configuration.service.status})"
}
