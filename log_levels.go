package main

import "os"

// terraformReadsProviderLogs tells whether the terraform that started this process shows or
// writes provider logs at all: only when TF_LOG or TF_LOG_PROVIDER is set. The provider also
// honours the SDK's own variables, so a user who set any of them is left alone.
func terraformReadsProviderLogs() bool {
	for _, name := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_CODESCANNING", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		if os.Getenv(name) != "" {
			return true
		}
	}
	return false
}

// silenceUnreadLogs turns the provider's logs off when terraform will discard them. The
// plugin SDK otherwise logs every protocol call at TRACE, as JSON, to a pipe that terraform
// reads and parses line by line only to drop: turning them off took a refresh of 300 default
// setups 27% of the provider's CPU time and 19% of terraform's (BENCHMARKS.md).
func silenceUnreadLogs() {
	if terraformReadsProviderLogs() {
		return
	}
	for _, name := range []string{"TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		_ = os.Setenv(name, "off")
	}
}
