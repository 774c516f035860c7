package provider

import (
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// A CodeQL database is built into Terraform values by one builder for the list
// (codescanning_codeql_databases) and the single database (codescanning_codeql_database).

// codeQLDatabaseObjectType is the object type of one database, derived once from its schema.
var codeQLDatabaseObjectType = sync.OnceValue(func() types.ObjectType {
	obj, _ := schema.NestedAttributeObject{Attributes: codeQLDatabaseAttributes()}.Type().(types.ObjectType)
	return obj
})

// codeQLDatabaseValues are a database's attribute values, by attribute name.
func codeQLDatabaseValues(db githubclient.CodeQLDatabase) map[string]attr.Value {
	return map[string]attr.Value{
		"id":           types.Int64Value(db.ID),
		"name":         types.StringValue(db.Name),
		"language":     types.StringValue(db.Language),
		"uploader":     types.StringValue(db.Uploader.Login),
		"content_type": types.StringValue(db.ContentType),
		"size":         types.Int64Value(db.Size),
		"created_at":   timeValue(db.CreatedAt),
		"updated_at":   timeValue(db.UpdatedAt),
		"url":          types.StringValue(db.URL),
		"commit_oid":   types.StringPointerValue(db.CommitOID),
	}
}

// codeQLDatabaseObject is one database as an element of the databases list.
func codeQLDatabaseObject(db githubclient.CodeQLDatabase) types.Object {
	return types.ObjectValueMust(codeQLDatabaseObjectType().AttrTypes, codeQLDatabaseValues(db))
}

// codeQLDatabaseAttributes describe a CodeQL database for a data source schema.
func codeQLDatabaseAttributes() map[string]schema.Attribute {
	str := func(desc string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	num := func(desc string) schema.Attribute {
		return schema.Int64Attribute{MarkdownDescription: desc, Computed: true}
	}
	return map[string]schema.Attribute{
		"id":           num("The database's ID."),
		"name":         str("The database file's name."),
		"language":     str("CodeQL language of the database, e.g. `go`."),
		"uploader":     str("Login of who uploaded the database (for default setup, the account that ran it)."),
		"content_type": str("MIME type of the database file, e.g. `application/zip`."),
		"size":         num("Size of the database file in bytes."),
		"created_at":   str("When the database was created (RFC 3339)."),
		"updated_at":   str("When the database was last updated (RFC 3339)."),
		"url":          str("API URL of the database; with `Accept: application/zip` it downloads the database."),
		"commit_oid":   str("Commit the database was built from; null when GitHub does not know it."),
	}
}
