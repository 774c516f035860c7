package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// securityConfigurationObject is a code security configuration as the data sources show it:
// the resource's settings (securityConfigurationSettings, read by the same setFromGitHub) and
// what GitHub says of the configuration itself.
type securityConfigurationObject struct {
	ConfigurationID types.Int64  `tfsdk:"configuration_id"`
	Name            types.String `tfsdk:"name"`
	TargetType      types.String `tfsdk:"target_type"`
	Description     types.String `tfsdk:"description"`
	securityConfigurationSettings
	DefaultForNewRepos types.String `tfsdk:"default_for_new_repos"`
	HTMLURL            types.String `tfsdk:"html_url"`
	CreatedAt          types.String `tfsdk:"created_at"`
	UpdatedAt          types.String `tfsdk:"updated_at"`
}

// securityConfigurationObjectOf is cfg as the data sources show it; defaultFor is what it is
// the default for among the organization's defaults ("" when they were not read: null).
func securityConfigurationObjectOf(cfg *githubclient.SecurityConfiguration, defaultFor string) securityConfigurationObject {
	o := securityConfigurationObject{
		ConfigurationID:    types.Int64Value(cfg.ID),
		Name:               types.StringValue(cfg.Name),
		TargetType:         stringOrNull(cfg.TargetType),
		Description:        types.StringPointerValue(cfg.Description),
		DefaultForNewRepos: stringOrNull(defaultFor),
		HTMLURL:            stringOrNull(cfg.HTMLURL),
		CreatedAt:          timeOrNull(cfg.CreatedAt),
		UpdatedAt:          timeOrNull(cfg.UpdatedAt),
	}
	o.setFromGitHub(cfg)
	return o
}

// securityConfigurationObjectType is the type of securityConfigurationObject's value.
func securityConfigurationObjectType() attr.Type {
	return types.ObjectType{AttrTypes: securityConfigurationObjectAttrTypes()}
}

// securityConfigurationObjectAttrTypes are its attributes' types, from the data sources' schema.
func securityConfigurationObjectAttrTypes() map[string]attr.Type {
	types := map[string]attr.Type{}
	for name, a := range securityConfigurationAttributes() {
		types[name] = a.GetType()
	}
	return types
}

// securityConfigurationAttributes are the data source attributes of securityConfigurationObject,
// every one computed, with the resource's descriptions of the settings.
func securityConfigurationAttributes() map[string]schema.Attribute {
	str := func(desc string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	attrs := map[string]schema.Attribute{
		"configuration_id": schema.Int64Attribute{MarkdownDescription: "GitHub's ID of the configuration, which `codescanning_security_configuration_attachment` takes.", Computed: true},
		"name":             str("The configuration's name."),
		"target_type":      str("Whose it is: `global` (GitHub's own, such as \"GitHub recommended\"), `organization` or `enterprise`."),
		"description":      str("What the configuration is for."),
		"default_for_new_repos": str("Which new repositories GitHub attaches it to: `" + defaultForNewReposValues[0] + "`, `" + defaultForNewReposValues[2] + "`, `" +
			defaultForNewReposValues[3] + "` or `none`."),
		"html_url":   str("Web page of the configuration."),
		"created_at": str("When the configuration was created (RFC 3339)."),
		"updated_at": str("When the configuration last changed (RFC 3339)."),
		"dependency_graph_autosubmit_action_labeled_runners": schema.BoolAttribute{
			MarkdownDescription: "Whether automatic dependency submission runs on runners labeled `dependency-submission`; null where GitHub reports no options.", Computed: true},
		"code_scanning_allow_advanced": schema.BoolAttribute{
			MarkdownDescription: "Whether repositories that use advanced setup keep it; null where GitHub reports no options.", Computed: true},
		"code_scanning_default_setup_runner_type":  str("Runners for default setup: `standard`, `labeled` or `not_set`; null where GitHub reports none."),
		"code_scanning_default_setup_runner_label": str("Label of the self-hosted runners default setup uses, or null."),
		"secret_scanning_delegated_bypass_reviewers": schema.SetNestedAttribute{
			MarkdownDescription: "Teams and roles that review requests to bypass push protection.",
			Computed:            true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"reviewer_id":   schema.Int64Attribute{MarkdownDescription: "ID of the team or role.", Computed: true},
				"reviewer_type": str("`TEAM` or `ROLE`."),
				"mode":          str("`ALWAYS` or `EXEMPT` (GitHub Enterprise Server, which has no mode, reads as `ALWAYS`)."),
			}},
		},
	}
	for _, e := range enablementSettings {
		attrs[e.name] = str(settingDescription(e) + " Null where the server does not report it.")
	}
	return attrs
}
