terraform {
  required_providers {
    codescanning = {
      source  = "codescanning/codescanning"
      version = "~> 0.1"
    }
  }
}

# Every configuration the organization can use, GitHub's own included.
data "codescanning_security_configurations" "all" {
  organization = "my-org"
}

output "configuration_ids" {
  value = { for c in data.codescanning_security_configurations.all.configurations : c.name => c.configuration_id }
}

# Which configuration new private repositories get.
output "private_default" {
  value = [for c in data.codescanning_security_configurations.all.configurations : c.name if contains(["all", "private_and_internal"], c.default_for_new_repos)]
}
