package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

var _ datasource.DataSourceWithConfigure = &codeQLDatabaseDataSource{}

// NewCodeQLDatabaseDataSource is the codescanning_codeql_database data source.
func NewCodeQLDatabaseDataSource() datasource.DataSource {
	return &codeQLDatabaseDataSource{}
}

type codeQLDatabaseDataSource struct {
	data *providerData
}

func (d *codeQLDatabaseDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_codeql_database"
}

func (d *codeQLDatabaseDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := codeQLDatabaseAttributes()
	attributes["id"] = schema.StringAttribute{MarkdownDescription: "`owner/name/language`.", Computed: true}
	attributes["repository"] = repositoryAttribute()
	attributes["language"] = schema.StringAttribute{
		MarkdownDescription: "CodeQL language of the database, e.g. `go` or `javascript`. Reading a language the repository has no database for is an error that names the languages it has.",
		Required:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the metadata of a repository's CodeQL database for one language: who uploaded it, when, its size and the commit it was built from. " +
			"GitHub Enterprise Server has no CodeQL database API (no release up to 3.19): there, reading fails with an error naming the server's release.",
		Attributes: attributes,
		Blocks:     map[string]schema.Block{"timeouts": readTimeoutsBlock(ctx)},
	}
}

func (d *codeQLDatabaseDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *codeQLDatabaseDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var language types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("language"), &language)...)
	ctx, repo, done, ok := startRead(ctx, d.data, req.Config, nil, &resp.Diagnostics)
	defer done()
	if !ok {
		return
	}
	db, err := d.data.client.GetCodeQLDatabase(ctx, repo, language.ValueString())
	if err != nil {
		summary := fmt.Sprintf("Cannot read the %s CodeQL database of %s", language.ValueString(), repo)
		if languages, listErr := d.languages(ctx, repo, err); listErr == nil {
			resp.Diagnostics.AddAttributeError(path.Root("language"), summary, missingLanguage(repo, language.ValueString(), languages)+"\n\nOriginal Error: "+err.Error())
			return
		}
		addLookupError(&resp.Diagnostics, path.Root("language"), summary, fmt.Sprintf("GitHub has no %s CodeQL database for %s.", language.ValueString(), repo), err)
		return
	}
	values := codeQLDatabaseValues(*db)
	values["id"] = types.StringValue(repo.String() + "/" + language.ValueString())
	setFromConfig(ctx, req.Config, &resp.State, values, &resp.Diagnostics)
}

// languages lists the languages a repository has CodeQL databases for, after GitHub answered
// 404 for one: one more request, which also tells a missing language from a missing repository.
// Other errors are not looked into.
func (d *codeQLDatabaseDataSource) languages(ctx context.Context, repo githubclient.Repository, err error) ([]string, error) {
	if !githubclient.IsNotFound(err) {
		return nil, err
	}
	databases, listErr := d.data.client.ListCodeQLDatabases(ctx, repo)
	if listErr != nil {
		return nil, listErr
	}
	languages := make([]string, len(databases))
	for i, db := range databases {
		languages[i] = db.Language
	}
	return languages, nil
}

// missingLanguage says what to do about a language the repository has no database for.
func missingLanguage(repo githubclient.Repository, language string, languages []string) string {
	if len(languages) == 0 {
		return fmt.Sprintf("%s has no CodeQL databases: GitHub keeps one per language once default setup or the CodeQL action has analyzed the repository.", repo)
	}
	return fmt.Sprintf("%s has no %s CodeQL database. It has databases for: %s. Set language to one of them.", repo, language, strings.Join(languages, ", "))
}
