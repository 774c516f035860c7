terraform {
  required_providers {
    codescanning = {
      source  = "codescanning/codescanning"
      version = "~> 0.1"
    }
  }
}

data "codescanning_codeql_databases" "service" {
  repository = "my-org/service"
}

output "database_sizes" {
  value = { for db in data.codescanning_codeql_databases.service.databases : db.language => db.size }
}
