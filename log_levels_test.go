package main

import (
	"os"
	"testing"
)

var logVariables = []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_CODESCANNING", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}

func clearLogVariables(t *testing.T) {
	for _, name := range logVariables {
		t.Setenv(name, "")
	}
}

func TestLogsAreSilencedWhenTerraformDiscardsThem(t *testing.T) {
	clearLogVariables(t)
	silenceUnreadLogs()
	for _, name := range []string{"TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		if got := os.Getenv(name); got != "off" {
			t.Errorf("%s = %q, want off", name, got)
		}
	}
}

func TestLogsAreLeftAloneWhenAnyoneAskedForThem(t *testing.T) {
	for _, asked := range logVariables {
		t.Run(asked, func(t *testing.T) {
			clearLogVariables(t)
			t.Setenv(asked, "DEBUG")
			silenceUnreadLogs()
			for _, name := range logVariables {
				want := ""
				if name == asked {
					want = "DEBUG"
				}
				if got := os.Getenv(name); got != want {
					t.Errorf("with %s set, %s = %q, want %q", asked, name, got, want)
				}
			}
		})
	}
}
