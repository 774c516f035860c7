import {
  to = codescanning_security_configuration.baseline
  id = "my-org/Code scanning baseline"
}
