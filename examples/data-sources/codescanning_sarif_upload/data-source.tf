terraform {
  required_providers {
    codescanning = {
      source  = "codescanning/codescanning"
      version = "~> 0.1"
    }
  }
}

variable "sarif_id" {
  description = "The id GitHub answered the upload with."
  type        = string
}

data "codescanning_sarif_upload" "scan" {
  repository = "my-org/service"
  sarif_id   = var.sarif_id
}

output "upload_status" {
  value = data.codescanning_sarif_upload.scan.processing_status
}

output "upload_errors" {
  value = data.codescanning_sarif_upload.scan.errors
}
