import {
  to = codescanning_alert_dismissal.sanitized_input
  id = "my-org/service/42"
}
