terraform {
  required_providers {
    codescanning = {
      source  = "codescanning/codescanning"
      version = "~> 0.1"
    }
  }
}
