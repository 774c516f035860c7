package provider

import (
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// An alert is built into Terraform values by hand, not through the framework's struct
// reflection: reflection costs most of a 10,000-alert read (see BenchmarkAlertsDataSource10000).
// One builder serves the list (codescanning_alerts) and the single alert (codescanning_alert),
// so both read the same.

// alertObjectType is the object type of one alert, derived once from its schema.
var alertObjectType = sync.OnceValue(func() types.ObjectType {
	obj, _ := schema.NestedAttributeObject{Attributes: alertAttributes()}.Type().(types.ObjectType)
	return obj
})

// alertInstanceObjectType is the object type of one alert instance.
var alertInstanceObjectType = sync.OnceValue(func() types.ObjectType {
	obj, _ := schema.NestedAttributeObject{Attributes: alertInstanceAttributes()}.Type().(types.ObjectType)
	return obj
})

// alertValues are an alert's attribute values, by attribute name.
func alertValues(a githubclient.Alert) map[string]attr.Value {
	objType := alertObjectType()
	dismissedBy := types.StringNull()
	if a.DismissedBy != nil {
		dismissedBy = types.StringValue(a.DismissedBy.Login)
	}
	approvedBy := types.StringNull()
	if a.DismissalApprovedBy != nil {
		approvedBy = types.StringValue(a.DismissalApprovedBy.Login)
	}
	repository := types.StringNull()
	if a.Repository != nil {
		repository = types.StringValue(a.Repository.FullName)
	}
	assignees := make([]string, len(a.Assignees))
	for i, u := range a.Assignees {
		assignees[i] = u.Login
	}
	ruleType, _ := objType.AttrTypes["rule"].(types.ObjectType)
	toolType, _ := objType.AttrTypes["tool"].(types.ObjectType)
	return map[string]attr.Value{
		"number": types.Int64Value(int64(a.Number)),
		"state":  types.StringValue(a.State),
		"rule": types.ObjectValueMust(ruleType.AttrTypes, map[string]attr.Value{
			"id":                      types.StringPointerValue(a.Rule.ID),
			"name":                    types.StringValue(a.Rule.Name),
			"severity":                types.StringPointerValue(a.Rule.Severity),
			"security_severity_level": types.StringPointerValue(a.Rule.SecuritySeverityLevel),
			"description":             types.StringValue(a.Rule.Description),
			"tags":                    stringList(a.Rule.Tags),
		}),
		"tool": types.ObjectValueMust(toolType.AttrTypes, map[string]attr.Value{
			"name":    types.StringPointerValue(a.Tool.Name),
			"version": types.StringPointerValue(a.Tool.Version),
			"guid":    types.StringPointerValue(a.Tool.GUID),
		}),
		"most_recent_instance":  alertInstanceObject(a.MostRecentInstance),
		"html_url":              types.StringValue(a.HTMLURL),
		"created_at":            timeValue(a.CreatedAt),
		"updated_at":            timeValue(a.UpdatedAt),
		"fixed_at":              timeValue(a.FixedAt),
		"dismissed_at":          timeValue(a.DismissedAt),
		"dismissed_by":          dismissedBy,
		"dismissal_approved_by": approvedBy,
		"dismissed_reason":      types.StringPointerValue(a.DismissedReason),
		"dismissed_comment":     types.StringPointerValue(a.DismissedComment),
		"assignees":             stringList(assignees),
		"repository_full_name":  repository,
	}
}

// alertObject is one alert as an element of the alerts list.
func alertObject(a githubclient.Alert) types.Object {
	return types.ObjectValueMust(alertObjectType().AttrTypes, alertValues(a))
}

// alertInstanceObject is one instance as an object.
func alertInstanceObject(i githubclient.AlertInstance) types.Object {
	return types.ObjectValueMust(alertInstanceObjectType().AttrTypes, map[string]attr.Value{
		"ref":             types.StringValue(i.Ref),
		"commit_sha":      types.StringValue(i.CommitSHA),
		"analysis_key":    types.StringValue(i.AnalysisKey),
		"environment":     types.StringValue(i.Environment),
		"category":        types.StringValue(i.Category),
		"state":           types.StringValue(i.State),
		"path":            types.StringValue(i.Location.Path),
		"start_line":      types.Int64Value(int64(i.Location.StartLine)),
		"end_line":        types.Int64Value(int64(i.Location.EndLine)),
		"start_column":    types.Int64Value(int64(i.Location.StartColumn)),
		"end_column":      types.Int64Value(int64(i.Location.EndColumn)),
		"message":         types.StringValue(i.Message.Text),
		"classifications": stringList(i.Classifications),
	})
}

func timeValue(t *time.Time) types.String {
	if t == nil {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339))
}

func stringList(values []string) types.List {
	return listOf(types.StringType, values, types.StringValue)
}

// alertAttributes describe an alert for a data source schema.
func alertAttributes() map[string]schema.Attribute {
	str := func(desc string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	num := func(desc string) schema.Attribute {
		return schema.Int64Attribute{MarkdownDescription: desc, Computed: true}
	}
	list := func(desc string) schema.Attribute {
		return schema.ListAttribute{MarkdownDescription: desc, Computed: true, ElementType: types.StringType}
	}
	return map[string]schema.Attribute{
		"number": num("The alert's number in its repository."),
		"state":  str("`open`, `dismissed` or `fixed`."),
		"rule": schema.SingleNestedAttribute{
			MarkdownDescription: "The rule that raised the alert.",
			Computed:            true,
			Attributes: map[string]schema.Attribute{
				"id":                      str("Rule ID, e.g. `go/sql-injection`."),
				"name":                    str("Rule name."),
				"severity":                str("`none`, `note`, `warning` or `error`."),
				"security_severity_level": str("`low`, `medium`, `high` or `critical`; null for rules that are not security rules."),
				"description":             str("Short description of the rule."),
				"tags":                    list("Rule tags, e.g. `security`, `external/cwe/cwe-089`."),
			},
		},
		"tool": schema.SingleNestedAttribute{
			MarkdownDescription: "The analysis tool that raised the alert.",
			Computed:            true,
			Attributes: map[string]schema.Attribute{
				"name":    str("Tool name, e.g. `CodeQL`."),
				"version": str("Tool version."),
				"guid":    str("Tool GUID, where the SARIF upload gave one."),
			},
		},
		"most_recent_instance": schema.SingleNestedAttribute{
			MarkdownDescription: "Where the alert was most recently found.",
			Computed:            true,
			Attributes:          alertInstanceAttributes(),
		},
		"html_url":              str("The alert on github.com."),
		"created_at":            str("When the alert was raised (RFC 3339)."),
		"updated_at":            str("When the alert last changed (RFC 3339)."),
		"fixed_at":              str("When the alert was fixed (RFC 3339), or null."),
		"dismissed_at":          str("When the alert was dismissed (RFC 3339), or null."),
		"dismissed_by":          str("Login of who dismissed the alert, or null."),
		"dismissal_approved_by": str("Login of the reviewer who approved the alert's dismissal request, where dismissal is delegated; or null."),
		"dismissed_reason":      str("`false positive`, `won't fix`, `used in tests` or `mitigated`, or null."),
		"dismissed_comment":     str("The dismissal comment, or null."),
		"assignees":             list("Logins of the users assigned to the alert."),
		"repository_full_name":  str("`owner/name` of the alert's repository; set by the organization form of `codescanning_alerts`."),
	}
}

func alertInstanceAttributes() map[string]schema.Attribute {
	str := func(desc string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	num := func(desc string) schema.Attribute {
		return schema.Int64Attribute{MarkdownDescription: desc, Computed: true}
	}
	return map[string]schema.Attribute{
		"ref":             str("Git reference, e.g. `refs/heads/main` or `refs/pull/42/merge`."),
		"commit_sha":      str("Commit analyzed."),
		"analysis_key":    str("Identifies the workflow and job that ran the analysis."),
		"environment":     str("The analysis environment, as JSON."),
		"category":        str("Analysis category."),
		"state":           str("State of the alert on this ref."),
		"path":            str("File path of the location."),
		"start_line":      num("First line."),
		"end_line":        num("Last line."),
		"start_column":    num("First column."),
		"end_column":      num("Last column."),
		"message":         str("The alert's message here."),
		"classifications": schema.ListAttribute{MarkdownDescription: "Classifications of the file, e.g. `test`, `generated`, `library`.", Computed: true, ElementType: types.StringType},
	}
}
