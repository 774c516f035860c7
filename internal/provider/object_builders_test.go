package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// The data sources build their objects by hand (alert_model.go and the others), and
// types.ObjectValueMust panics when a builder's attribute names or value types drift from the
// schema's. These tests compare each builder's values with its schema's attributes, name by
// name and type by type, so a drift fails here with the attribute named instead of panicking in
// a read.

// schemaDrift lists every schema attribute the builder's values lack or give another type, and
// every value the schema does not name; a builder that panics is a drift too.
func schemaDrift(attrs map[string]schema.Attribute, build func() map[string]attr.Value) (problems []string) {
	defer func() {
		if r := recover(); r != nil {
			problems = append(problems, fmt.Sprintf("the builder panicked: %v", r))
		}
	}()
	values := build()
	ctx := context.Background()
	for _, name := range slices.Sorted(maps.Keys(attrs)) {
		v, ok := values[name]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("the schema's attribute %q has no value in the builder", name))
		case !attrs[name].GetType().Equal(v.Type(ctx)):
			problems = append(problems, fmt.Sprintf("attribute %q: the builder's value is a %s, the schema's attribute a %s", name, v.Type(ctx), attrs[name].GetType()))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(values)) {
		if _, ok := attrs[name]; !ok {
			problems = append(problems, fmt.Sprintf("the builder sets %q, which the schema does not have", name))
		}
	}
	return problems
}

func checkAgainstSchema(t *testing.T, attrs map[string]schema.Attribute, build func() map[string]attr.Value) {
	t.Helper()
	for _, p := range schemaDrift(attrs, build) {
		t.Error(p)
	}
}
func TestAlertBuilderMatchesItsSchema(t *testing.T) {
	t.Parallel()
	checkAgainstSchema(t, alertAttributes(), func() map[string]attr.Value { return alertValues(githubclient.Alert{}) })
}

func TestAlertInstanceBuilderMatchesItsSchema(t *testing.T) {
	t.Parallel()
	checkAgainstSchema(t, alertInstanceAttributes(), func() map[string]attr.Value {
		return alertInstanceObject(githubclient.AlertInstance{}).Attributes()
	})
}

func TestAnalysisBuilderMatchesItsSchema(t *testing.T) {
	t.Parallel()
	checkAgainstSchema(t, analysisAttributes(), func() map[string]attr.Value { return analysisValues(githubclient.Analysis{}) })
}

func TestCodeQLDatabaseBuilderMatchesItsSchema(t *testing.T) {
	t.Parallel()
	checkAgainstSchema(t, codeQLDatabaseAttributes(), func() map[string]attr.Value {
		return codeQLDatabaseValues(githubclient.CodeQLDatabase{})
	})
}

// TestSchemaDriftIsFound keeps the check honest: a value renamed, one retyped, and a builder
// that panics are each reported.
func TestSchemaDriftIsFound(t *testing.T) {
	t.Parallel()
	values := analysisValues(githubclient.Analysis{})
	values["renamed_ref"], values["commit_sha"] = values["ref"], types.Int64Value(1)
	delete(values, "ref")
	problems := schemaDrift(analysisAttributes(), func() map[string]attr.Value { return values })
	got := strings.Join(problems, "\n")
	for _, want := range []string{`attribute "ref" has no value`, `attribute "commit_sha": the builder's value is a basetypes.Int64Type`, `sets "renamed_ref"`} {
		if !strings.Contains(got, want) {
			t.Errorf("drift report lacks %q:\n%s", want, got)
		}
	}
	panicked := schemaDrift(analysisAttributes(), func() map[string]attr.Value { panic("ObjectValueMust") })
	if len(panicked) != 1 || !strings.Contains(panicked[0], "panicked") {
		t.Errorf("a panicking builder reported %q", panicked)
	}
}
