package provider

import (
	"os"
	"testing"
)

// terraformGOGC is the garbage collector's target for the terraform processes the acceptance
// tests start, through terraform-plugin-testing, which hands them this process's environment.
// Each lives for a fraction of a second, and at Go's default of 100 its collections were a
// third of its CPU (40 runs of `terraform version`: 3.1 s of CPU, 2.1 s at 400); the package's
// tests start nearly 3,000 of them, on a machine of two cores where make test is CPU-bound.
const terraformGOGC = "400"

// TestMain sets GOGC for the child processes only: this process read it when it started. A
// GOGC the caller set is left alone.
func TestMain(m *testing.M) {
	if _, set := os.LookupEnv("GOGC"); !set {
		_ = os.Setenv("GOGC", terraformGOGC)
	}
	os.Exit(m.Run())
}
