terraform {
  required_providers {
    codescanning = {
      source  = "codescanning/codescanning"
      version = "~> 0.1"
    }
  }
}

# Attach GitHub's own configuration, which cannot be managed, by its ID.
data "codescanning_security_configuration" "recommended" {
  organization = "my-org"
  name         = "GitHub recommended"
}

resource "codescanning_security_configuration_attachment" "legacy" {
  organization     = "my-org"
  configuration_id = data.codescanning_security_configuration.recommended.configuration_id
  repositories     = ["legacy-monolith"]
}
