# An attachment is imported as organization/configuration_id; its repositories are the
# configuration's repositories when imported.
terraform import codescanning_security_configuration_attachment.pilot my-org/1325
