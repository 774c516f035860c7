package provider

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// The provider's permissions table (docs/index.md, from templates/index.md.tmpl) has a row for
// every resource and data source, so a new one cannot ship without saying what it needs.
func TestThePermissionsTableNamesEveryResourceAndDataSource(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../docs/index.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, _ := strings.Cut(string(raw), "### Permissions")
	table, _, _ = strings.Cut(table, "\n## ")
	var rows []string
	for _, line := range strings.Split(table, "\n") {
		if strings.HasPrefix(line, "| `codescanning_") {
			rows = append(rows, line)
		}
	}
	named := func(name, kind string) bool {
		for _, row := range rows {
			first, _, _ := strings.Cut(strings.TrimPrefix(row, "| "), " |")
			if strings.Contains(first, "`"+name+"`") && (!strings.Contains(first, "(") || strings.Contains(first, "("+kind+")")) {
				return true
			}
		}
		return false
	}
	p := &codeScanningProvider{}
	ctx := context.Background()
	for _, newResource := range p.Resources(ctx) {
		var md resource.MetadataResponse
		newResource().Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "codescanning"}, &md)
		if !named(md.TypeName, "resource") {
			t.Errorf("the permissions table has no row for resource %s", md.TypeName)
		}
	}
	for _, newDataSource := range p.DataSources(ctx) {
		var md datasource.MetadataResponse
		newDataSource().Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "codescanning"}, &md)
		if !named(md.TypeName, "data source") {
			t.Errorf("the permissions table has no row for data source %s", md.TypeName)
		}
	}
}
