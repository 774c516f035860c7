package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// A cache_dir the provider cannot use is an error on cache_dir that says what to do, not a bare
// "permission denied" from Configure.
func TestUnusableCacheDirIsAnErrorOnCacheDir(t *testing.T) {
	t.Parallel()
	tt := emulatorTarget(t, defaultEmulatorConfig())
	tt.needsEmulator(t)
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	dirs := map[string]string{"under a file": filepath.Join(file, "cache"), "a file": file}
	if os.Geteuid() != 0 { // root writes anywhere
		readOnly := filepath.Join(t.TempDir(), "read-only")
		if err := os.Mkdir(readOnly, 0o500); err != nil {
			t.Fatal(err)
		}
		dirs["read-only"] = readOnly
	}
	for name, dir := range dirs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, resource.TestCase{Steps: []resource.TestStep{{
				Config:      providerWith(tt.baseURL, fmt.Sprintf("  token = \"test-token\"\n  cache_dir = %q", dir)) + fmt.Sprintf(serviceSetup, ""),
				ExpectError: diagnosticPattern("cache_dir cannot be used", "Make it a directory the user running Terraform can write"),
			}}})
		})
	}
}
