# An alert dismissal is imported as owner/name/number.
terraform import codescanning_alert_dismissal.sanitized_input my-org/service/42
