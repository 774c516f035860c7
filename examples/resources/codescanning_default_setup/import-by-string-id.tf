import {
  to = codescanning_default_setup.service
  id = "my-org/service"
}
