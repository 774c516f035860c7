terraform {
  required_providers {
    codescanning = {
      source  = "codescanning/codescanning"
      version = "~> 0.1"
    }
  }
}

data "codescanning_codeql_database" "go" {
  repository = "my-org/service"
  language   = "go"
}

output "go_database_commit" {
  value = data.codescanning_codeql_database.go.commit_oid
}
