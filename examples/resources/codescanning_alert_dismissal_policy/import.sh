# A dismissal policy is imported as owner/name:POLICY for a repository, or ORGANIZATION:POLICY.
terraform import codescanning_alert_dismissal_policy.tests_and_vendor my-org/service:tests-and-vendor
