import {
  to = codescanning_security_configuration_attachment.pilot
  id = "my-org/1325"
}
