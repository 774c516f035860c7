package main

import (
	"cmp"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"

	goversion "github.com/hashicorp/go-version"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Every example is a configuration someone copies. Without a version constraint the copy takes
// whatever release is newest on its next `terraform init`, 1.0 and its breaking changes included.
// A directory of .tf files is one configuration (or module), so one of its files declares the
// provider: its source and a version constraint.
func TestEveryExampleConstrainsTheProviderVersion(t *testing.T) {
	configs := map[string][]string{}
	err := filepath.WalkDir("examples", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(path) == ".tf" {
			configs[filepath.Dir(path)] = append(configs[filepath.Dir(path)], path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(configs) < 10 {
		t.Fatalf("found %d example directories under examples/, want them all (10 or more)", len(configs))
	}
	dirs := make([]string, 0, len(configs))
	for dir := range configs {
		dirs = append(dirs, dir)
	}
	sort.Strings(dirs)
	for _, dir := range dirs {
		source, constraint := "", ""
		for _, file := range configs[dir] {
			s, c := declaredProvider(t, file)
			source, constraint = cmp.Or(source, s), cmp.Or(constraint, c)
		}
		if source != "codescanning/codescanning" {
			t.Errorf("%s: required_providers declares codescanning with source %q, want \"codescanning/codescanning\"", dir, source)
		}
		if constraint == "" {
			t.Errorf("%s: no version constraint for codescanning in required_providers (e.g. version = \"~> 0.1\")", dir)
			continue
		}
		if _, err := goversion.NewConstraint(constraint); err != nil {
			t.Errorf("%s: version = %q is not a version constraint: %v", dir, constraint, err)
		}
	}
}

// declaredProvider returns the source and version that file's terraform.required_providers
// gives codescanning, if it does.
func declaredProvider(t *testing.T, file string) (source, constraint string) {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return requiredCodescanning(t, file, src)
}

// requiredCodescanning returns the source and version that the terraform.required_providers of
// src, named name, gives codescanning, if it does.
func requiredCodescanning(t *testing.T, name string, src []byte) (source, constraint string) {
	t.Helper()
	body := parseHCL(t, name, src)
	for _, tf := range body.Blocks {
		if tf.Type != "terraform" {
			continue
		}
		for _, rp := range tf.Body.Blocks {
			attr, ok := rp.Body.Attributes["codescanning"]
			if rp.Type != "required_providers" || !ok {
				continue
			}
			v, diags := attr.Expr.Value(nil)
			if diags.HasErrors() || !v.Type().IsObjectType() {
				t.Fatalf("%s: required_providers.codescanning is not an object of literals: %v", name, diags)
			}
			return stringAttr(v, "source"), stringAttr(v, "version")
		}
	}
	return "", ""
}

func stringAttr(obj cty.Value, name string) string {
	if !obj.Type().HasAttribute(name) {
		return ""
	}
	v := obj.GetAttr(name)
	if v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
		return ""
	}
	return v.AsString()
}

// parseHCL parses native HCL syntax, failing the test on a syntax error.
func parseHCL(t *testing.T, name string, src []byte) *hclsyntax.Body {
	t.Helper()
	f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("%s: %v", name, diags)
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		t.Fatalf("%s: not native HCL syntax", name)
	}
	return body
}
