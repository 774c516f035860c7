terraform {
  required_providers {
    codescanning = {
      source  = "codescanning/codescanning"
      version = "~> 0.1"
    }
  }
}

resource "codescanning_security_configuration" "baseline" {
  organization                = "my-org"
  name                        = "Code scanning baseline"
  code_security               = "enabled"
  code_scanning_default_setup = "enabled"
  default_for_new_repos       = "all"
}

# Every repository of the organization today (new ones get it as the default).
resource "codescanning_security_configuration_attachment" "everywhere" {
  organization     = "my-org"
  configuration_id = codescanning_security_configuration.baseline.configuration_id
  scope            = "all"

  timeouts {
    create = "1h"
  }
}

# Or a few repositories, by name.
resource "codescanning_security_configuration_attachment" "pilot" {
  organization     = "my-org"
  configuration_id = codescanning_security_configuration.baseline.configuration_id
  repositories     = ["api", "web"]
}
