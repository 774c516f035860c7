# Default setup is imported by its repository, written owner/name, or name when the provider's owner is set.
terraform import codescanning_default_setup.service my-org/service
