# Default setup is imported by its repository, written owner/name.
terraform import codescanning_default_setup.service my-org/service
