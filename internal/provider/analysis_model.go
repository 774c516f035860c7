package provider

import (
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// An analysis is built into Terraform values by hand, as an alert is (see alert_model.go), and
// one builder serves the list (codescanning_analyses) and the single analysis
// (codescanning_analysis), so both read the same.

// analysisObjectType is the object type of one analysis, derived once from its schema.
var analysisObjectType = sync.OnceValue(func() types.ObjectType {
	obj, _ := schema.NestedAttributeObject{Attributes: analysisAttributes()}.Type().(types.ObjectType)
	return obj
})

// analysisValues are an analysis's attribute values, by attribute name.
func analysisValues(a githubclient.Analysis) map[string]attr.Value {
	toolType, _ := analysisObjectType().AttrTypes["tool"].(types.ObjectType)
	return map[string]attr.Value{
		"id":            types.Int64Value(a.ID),
		"ref":           types.StringValue(a.Ref),
		"commit_sha":    types.StringValue(a.CommitSHA),
		"analysis_key":  types.StringValue(a.AnalysisKey),
		"environment":   types.StringValue(a.Environment),
		"category":      types.StringValue(a.Category),
		"error":         types.StringValue(a.Error),
		"warning":       types.StringValue(a.Warning),
		"created_at":    timeValue(a.CreatedAt),
		"results_count": types.Int64Value(int64(a.ResultsCount)),
		"rules_count":   types.Int64Value(int64(a.RulesCount)),
		"url":           types.StringValue(a.URL),
		"sarif_id":      types.StringValue(a.SarifID),
		"deletable":     types.BoolValue(a.Deletable),
		"tool": types.ObjectValueMust(toolType.AttrTypes, map[string]attr.Value{
			"name":    types.StringPointerValue(a.Tool.Name),
			"version": types.StringPointerValue(a.Tool.Version),
			"guid":    types.StringPointerValue(a.Tool.GUID),
		}),
	}
}

// analysisObject is one analysis as an element of the analyses list.
func analysisObject(a githubclient.Analysis) types.Object {
	return types.ObjectValueMust(analysisObjectType().AttrTypes, analysisValues(a))
}

// analysisAttributes describe an analysis for a data source schema.
func analysisAttributes() map[string]schema.Attribute {
	str := func(desc string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	num := func(desc string) schema.Attribute {
		return schema.Int64Attribute{MarkdownDescription: desc, Computed: true}
	}
	return map[string]schema.Attribute{
		"id":            num("The analysis's ID."),
		"ref":           str("Git reference analyzed, e.g. `refs/heads/main` or `refs/pull/42/merge`."),
		"commit_sha":    str("Commit analyzed."),
		"analysis_key":  str("Identifies the workflow and job that ran the analysis, e.g. `.github/workflows/codeql.yml:analyze`."),
		"environment":   str("The analysis environment, as JSON."),
		"category":      str("Analysis category, e.g. `/language:go`; distinguishes analyses of one tool and commit."),
		"error":         str("Error GitHub met processing the analysis; empty when there was none."),
		"warning":       str("Warning GitHub gave processing the analysis; empty when there was none."),
		"created_at":    str("When the analysis was made (RFC 3339)."),
		"results_count": num("How many results the analysis found."),
		"rules_count":   num("How many rules the analysis ran."),
		"url":           str("API URL of the analysis."),
		"sarif_id":      str("ID of the SARIF upload that made the analysis; `codescanning_sarif_upload` reads its status."),
		"deletable": schema.BoolAttribute{
			MarkdownDescription: "Whether GitHub lets the analysis be deleted: only the most recent analysis of each ref, tool and category is.",
			Computed:            true,
		},
		"tool": schema.SingleNestedAttribute{
			MarkdownDescription: "The tool that made the analysis.",
			Computed:            true,
			Attributes: map[string]schema.Attribute{
				"name":    str("Tool name, e.g. `CodeQL`."),
				"version": str("Tool version, or null."),
				"guid":    str("Tool GUID, where the SARIF upload gave one; otherwise null."),
			},
		},
	}
}
