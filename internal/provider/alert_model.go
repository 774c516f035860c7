package provider

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// alertModel is a code scanning alert as the alert data sources show it. One type serves the
// list (codescanning_alerts) and the single alert (codescanning_alert, embedded), so both read
// the same.
type alertModel struct {
	Number             types.Int64        `tfsdk:"number"`
	State              types.String       `tfsdk:"state"`
	Rule               alertRuleModel     `tfsdk:"rule"`
	Tool               alertToolModel     `tfsdk:"tool"`
	MostRecentInstance alertInstanceModel `tfsdk:"most_recent_instance"`
	HTMLURL            types.String       `tfsdk:"html_url"`
	CreatedAt          types.String       `tfsdk:"created_at"`
	UpdatedAt          types.String       `tfsdk:"updated_at"`
	FixedAt            types.String       `tfsdk:"fixed_at"`
	DismissedAt        types.String       `tfsdk:"dismissed_at"`
	DismissedBy        types.String       `tfsdk:"dismissed_by"`
	DismissedReason    types.String       `tfsdk:"dismissed_reason"`
	DismissedComment   types.String       `tfsdk:"dismissed_comment"`
	Assignees          []types.String     `tfsdk:"assignees"`
	Repository         types.String       `tfsdk:"repository_full_name"`
}

type alertRuleModel struct {
	ID                    types.String   `tfsdk:"id"`
	Name                  types.String   `tfsdk:"name"`
	Severity              types.String   `tfsdk:"severity"`
	SecuritySeverityLevel types.String   `tfsdk:"security_severity_level"`
	Description           types.String   `tfsdk:"description"`
	Tags                  []types.String `tfsdk:"tags"`
}

type alertToolModel struct {
	Name    types.String `tfsdk:"name"`
	Version types.String `tfsdk:"version"`
	GUID    types.String `tfsdk:"guid"`
}

type alertInstanceModel struct {
	Ref             types.String   `tfsdk:"ref"`
	CommitSHA       types.String   `tfsdk:"commit_sha"`
	AnalysisKey     types.String   `tfsdk:"analysis_key"`
	Environment     types.String   `tfsdk:"environment"`
	Category        types.String   `tfsdk:"category"`
	State           types.String   `tfsdk:"state"`
	Path            types.String   `tfsdk:"path"`
	StartLine       types.Int64    `tfsdk:"start_line"`
	EndLine         types.Int64    `tfsdk:"end_line"`
	StartColumn     types.Int64    `tfsdk:"start_column"`
	EndColumn       types.Int64    `tfsdk:"end_column"`
	Message         types.String   `tfsdk:"message"`
	Classifications []types.String `tfsdk:"classifications"`
}

func newAlertModel(a githubclient.Alert) alertModel {
	m := alertModel{
		Number:             types.Int64Value(int64(a.Number)),
		State:              types.StringValue(a.State),
		Rule:               newAlertRuleModel(a.Rule),
		Tool:               alertToolModel{Name: types.StringPointerValue(a.Tool.Name), Version: types.StringPointerValue(a.Tool.Version), GUID: types.StringPointerValue(a.Tool.GUID)},
		MostRecentInstance: newAlertInstanceModel(a.MostRecentInstance),
		HTMLURL:            types.StringValue(a.HTMLURL),
		CreatedAt:          timeValue(a.CreatedAt),
		UpdatedAt:          timeValue(a.UpdatedAt),
		FixedAt:            timeValue(a.FixedAt),
		DismissedAt:        timeValue(a.DismissedAt),
		DismissedBy:        types.StringNull(),
		DismissedReason:    types.StringPointerValue(a.DismissedReason),
		DismissedComment:   types.StringPointerValue(a.DismissedComment),
		Assignees:          logins(a.Assignees),
		Repository:         types.StringNull(),
	}
	if a.DismissedBy != nil {
		m.DismissedBy = types.StringValue(a.DismissedBy.Login)
	}
	if a.Repository != nil {
		m.Repository = types.StringValue(a.Repository.FullName)
	}
	return m
}

func newAlertRuleModel(r githubclient.AlertRule) alertRuleModel {
	return alertRuleModel{
		ID:                    types.StringPointerValue(r.ID),
		Name:                  types.StringValue(r.Name),
		Severity:              types.StringPointerValue(r.Severity),
		SecuritySeverityLevel: types.StringPointerValue(r.SecuritySeverityLevel),
		Description:           types.StringValue(r.Description),
		Tags:                  stringValues(r.Tags),
	}
}

func newAlertInstanceModel(i githubclient.AlertInstance) alertInstanceModel {
	return alertInstanceModel{
		Ref:             types.StringValue(i.Ref),
		CommitSHA:       types.StringValue(i.CommitSHA),
		AnalysisKey:     types.StringValue(i.AnalysisKey),
		Environment:     types.StringValue(i.Environment),
		Category:        types.StringValue(i.Category),
		State:           types.StringValue(i.State),
		Path:            types.StringValue(i.Location.Path),
		StartLine:       types.Int64Value(int64(i.Location.StartLine)),
		EndLine:         types.Int64Value(int64(i.Location.EndLine)),
		StartColumn:     types.Int64Value(int64(i.Location.StartColumn)),
		EndColumn:       types.Int64Value(int64(i.Location.EndColumn)),
		Message:         types.StringValue(i.Message.Text),
		Classifications: stringValues(i.Classifications),
	}
}

func timeValue(t *time.Time) types.String {
	if t == nil {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339))
}

func stringValues(values []string) []types.String {
	out := make([]types.String, len(values))
	for i, v := range values {
		out[i] = types.StringValue(v)
	}
	return out
}

func logins(users []githubclient.User) []types.String {
	out := make([]types.String, len(users))
	for i, u := range users {
		out[i] = types.StringValue(u.Login)
	}
	return out
}

// alertAttributes describe alertModel for a data source schema.
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
		"html_url":             str("The alert on github.com."),
		"created_at":           str("When the alert was raised (RFC 3339)."),
		"updated_at":           str("When the alert last changed (RFC 3339)."),
		"fixed_at":             str("When the alert was fixed (RFC 3339), or null."),
		"dismissed_at":         str("When the alert was dismissed (RFC 3339), or null."),
		"dismissed_by":         str("Login of who dismissed the alert, or null."),
		"dismissed_reason":     str("`false positive`, `won't fix` or `used in tests`, or null."),
		"dismissed_comment":    str("The dismissal comment, or null."),
		"assignees":            list("Logins of the users assigned to the alert."),
		"repository_full_name": str("`owner/name` of the alert's repository; set by the organization form of `codescanning_alerts`."),
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
