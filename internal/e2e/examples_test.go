package e2e

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/codescanning/terraform-provider-codescanning/internal/tfcli"
)

// Every example the docs show is valid under the CLI under test: the provider page promises the
// same configuration works under Terraform and OpenTofu, from the oldest supported release.
func TestExamplesAreValidUnderTheCLI(t *testing.T) {
	t.Parallel()
	_, here, _, _ := runtime.Caller(0)
	examples := filepath.Join(filepath.Dir(here), "..", "..", "examples")
	var dirs []string
	err := filepath.WalkDir(examples, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if tf, _ := filepath.Glob(filepath.Join(path, "*.tf")); len(tf) > 0 {
			dirs = append(dirs, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 10 {
		t.Fatalf("found %d example directories under %s, want every resource's, data source's, module's and guide's", len(dirs), examples)
	}
	for _, dir := range dirs {
		name, _ := filepath.Rel(examples, dir)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			files := map[string]string{}
			tfFiles, err := filepath.Glob(filepath.Join(dir, "*.tf"))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range tfFiles {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				if strings.Contains(string(b), "import {") {
					requireCLIFeature(t, tfcli.ImportBlocks)
				}
				files[filepath.Base(f)] = string(b)
			}
			// A resource's or data source's example is a fragment the docs show beside the
			// provider's, which names the source; alone it would imply hashicorp/codescanning.
			if !strings.Contains(strings.Join(mapValues(files), "\n"), "required_providers") {
				files["versions.tf"] = "terraform {\n  required_providers {\n    codescanning = {\n      source = \"" + tfcli.ProviderSource + "\"\n    }\n  }\n}\n"
			}
			w := newWorkspace(t, "", files)
			w.mustRun(0, "validate")
		})
	}
}

func mapValues(m map[string]string) []string {
	values := make([]string, 0, len(m))
	for _, v := range m {
		values = append(values, v)
	}
	return values
}
