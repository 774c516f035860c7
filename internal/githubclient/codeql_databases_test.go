package githubclient

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

func TestCodeQLDatabasesListAndReadByLanguage(t *testing.T) {
	t.Parallel()
	c, emu := newTestClient(t, emulator.Config{})
	ctx := context.Background()
	if dbs, err := c.ListCodeQLDatabases(ctx, service); err != nil || dbs == nil || len(dbs) != 0 {
		t.Fatalf("ListCodeQLDatabases of a repository with none = %v, %v; want an empty list", dbs, err)
	}
	built := time.Date(2025, 2, 1, 8, 30, 0, 0, time.UTC)
	commit := strings.Repeat("ab12", 10)
	emu.AddCodeQLDatabase("octo-org", "service", emulator.CodeQLDatabase{Language: "python", Uploader: "hubot", Size: 1234, CreatedAt: built, CommitOID: &commit})
	emu.AddCodeQLDatabase("octo-org", "service", emulator.CodeQLDatabase{Language: "go"})

	dbs, err := c.ListCodeQLDatabases(ctx, service)
	if err != nil || len(dbs) != 2 || dbs[0].Language != "go" || dbs[1].Language != "python" {
		t.Fatalf("ListCodeQLDatabases = %+v, %v; want go and python", dbs, err)
	}
	py, err := c.GetCodeQLDatabase(ctx, service, "python")
	if err != nil {
		t.Fatal(err)
	}
	if py.Language != "python" || py.Uploader.Login != "hubot" || py.Size != 1234 || py.CreatedAt == nil || !py.CreatedAt.Equal(built) ||
		py.CommitOID == nil || *py.CommitOID != commit || py.Name == "" || py.ContentType == "" || py.ID == 0 ||
		!strings.HasSuffix(py.URL, "/code-scanning/codeql/databases/python") {
		t.Fatalf("GetCodeQLDatabase = %+v", py)
	}
	if _, err := c.GetCodeQLDatabase(ctx, service, "ruby"); !IsNotFound(err) || !strings.Contains(err.Error(), "ruby CodeQL database of octo-org/service") {
		t.Fatalf("a language without a database gave %v; want a 404 naming it", err)
	}
	if _, err := c.ListCodeQLDatabases(ctx, Repository{"octo-org", "locked"}); StatusCode(err) != http.StatusForbidden {
		t.Fatalf("a repository without Advanced Security gave %v; want its 403", err)
	}
}
