# A code security configuration is imported as organization/configuration_id, or organization/name.
terraform import codescanning_security_configuration.baseline my-org/1325
terraform import codescanning_security_configuration.baseline "my-org/Code scanning baseline"
