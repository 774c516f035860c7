# An alert dismissal is imported as owner/name/number, or name/number when the provider's owner is set.
terraform import codescanning_alert_dismissal.sanitized_input my-org/service/42
