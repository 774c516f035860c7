terraform {
  required_version = ">= 1.5"
  required_providers {
    codescanning = {
      source  = "codescanning/codescanning"
      version = ">= 0.1"
    }
  }
}
