data "codescanning_codeql_database" "go" {
  repository = "my-org/service"
  language   = "go"
}

output "go_database_commit" {
  value = data.codescanning_codeql_database.go.commit_oid
}
