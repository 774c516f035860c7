import {
  to = codescanning_alert_dismissal_policy.tests_and_vendor
  id = "my-org/service:tests-and-vendor"
}
