package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// sortDirections are the directions GitHub lists alerts and analyses in.
var sortDirections = []string{"asc", "desc"}

// listFilters are the filters GitHub's alert and analysis lists share, embedded in the models
// of codescanning_alerts and codescanning_analyses so that both read them alike.
type listFilters struct {
	ToolName   types.String `tfsdk:"tool_name"`
	ToolGUID   types.String `tfsdk:"tool_guid"`
	Ref        types.String `tfsdk:"ref"`
	PR         types.Int64  `tfsdk:"pr"`
	Sort       types.String `tfsdk:"sort"`
	Direction  types.String `tfsdk:"direction"`
	MaxResults types.Int64  `tfsdk:"max_results"`
}

// fill puts the filters where a client filter (githubclient.AlertFilter, AnalysisFilter) holds
// them; an unset one is the zero value, which the client leaves out of the query.
func (f listFilters) fill(toolName, toolGUID, ref *string, pr *int, sort, direction *string, maxResults *int) {
	*toolName, *toolGUID, *ref = f.ToolName.ValueString(), f.ToolGUID.ValueString(), f.Ref.ValueString()
	*pr, *maxResults = int(f.PR.ValueInt64()), int(f.MaxResults.ValueInt64())
	*sort, *direction = f.Sort.ValueString(), f.Direction.ValueString()
}

// listFilterSchema says what differs between the two lists' filter attributes: what they
// list, how ref, pr, sort and direction read there, the orders GitHub offers, and whether a
// tool or ref filter may be empty (the analyses refuse it; the alerts, older, take it as unset).
type listFilterSchema struct {
	what                      string // "alerts", "analyses"
	ref, pr, sort, direction  string // their descriptions
	sorts                     []string
	nonEmptyToolAndRefFilters bool
}

// attributes are the filter attributes, to which a data source adds its own.
func (s listFilterSchema) attributes() map[string]schema.Attribute {
	var text []validator.String
	if s.nonEmptyToolAndRefFilters {
		text = []validator.String{stringvalidator.LengthAtLeast(1)}
	}
	atLeastOne := []validator.Int64{int64validator.AtLeast(1)}
	return map[string]schema.Attribute{
		"tool_name": schema.StringAttribute{MarkdownDescription: "Only " + s.what + " of this tool, e.g. `CodeQL`. Not with `tool_guid`.", Optional: true, Validators: text},
		"tool_guid": schema.StringAttribute{MarkdownDescription: "Only " + s.what + " of the tool with this GUID. Not with `tool_name`.", Optional: true, Validators: text},
		"ref":       schema.StringAttribute{MarkdownDescription: s.ref, Optional: true, Validators: text},
		"pr":        schema.Int64Attribute{MarkdownDescription: s.pr, Optional: true, Validators: atLeastOne},
		"sort": schema.StringAttribute{MarkdownDescription: s.sort, Optional: true,
			Validators: []validator.String{stringvalidator.OneOf(s.sorts...)}},
		"direction": schema.StringAttribute{MarkdownDescription: s.direction, Optional: true,
			Validators: []validator.String{stringvalidator.OneOf(sortDirections...)}},
		"max_results": schema.Int64Attribute{MarkdownDescription: "Read at most this many " + s.what + ". All of them when omitted.", Optional: true, Validators: atLeastOne},
	}
}

// listFilterConflicts are the pairs of filters GitHub takes one of at a time.
func listFilterConflicts() []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.Conflicting(path.MatchRoot("tool_name"), path.MatchRoot("tool_guid")),
		datasourcevalidator.Conflicting(path.MatchRoot("ref"), path.MatchRoot("pr")),
	}
}
