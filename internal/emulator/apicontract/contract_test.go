package apicontract

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestDescriptionForNamesTheServersDescription(t *testing.T) {
	t.Parallel()
	for version, want := range map[string]string{"": "api.github.com.json", "3.17.2": "ghes-3.17.json", "3.19": "ghes-3.19.json", "4": "ghes-4.json"} {
		if got := DescriptionFor(version); got != want {
			t.Errorf("DescriptionFor(%q) = %q, want %q", version, got, want)
		}
	}
}

// Each description loads with the operations its server has: GHES has no CodeQL databases.
func TestEachDescriptionLoadsWithItsOperations(t *testing.T) {
	t.Parallel()
	const databases = "GET /repos/{owner}/{repo}/code-scanning/codeql/databases"
	for _, file := range []string{"api.github.com.json", "ghes-3.17.json", "ghes-3.19.json"} {
		c, err := Load("../testdata", file)
		if err != nil {
			t.Fatal(err)
		}
		ops := c.Operations()
		if !slices.Contains(ops, "GET /repos/{owner}/{repo}") || slices.Contains(ops, databases) != (file == "api.github.com.json") {
			t.Errorf("%s: operations %v", file, ops)
		}
	}
}

func TestCheckNamesTheOperationAndWhatBreaksTheContract(t *testing.T) {
	t.Parallel()
	c, err := Load("../testdata", "api.github.com.json")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPatch, Base+"repos/o/r/code-scanning/default-setup", strings.NewReader(""))
	req.Header.Set("Content-Type", "application/json")
	v := c.Check(req, []byte(`{"query_suite":"bogus","extra":1}`), http.StatusOK, http.Header{"Content-Type": {"application/json"}}, []byte(`{"run_id":1}`))
	if v.Operation != "PATCH /repos/{owner}/{repo}/code-scanning/default-setup" || v.Request == nil || v.Response == nil ||
		!slices.Equal(v.Undescribed, []string{"extra"}) {
		t.Fatalf("verdict %+v; want the operation named, the request and the answer refused, extra undescribed", v)
	}
	unknown, _ := http.NewRequest(http.MethodGet, Base+"nowhere", nil)
	if v := c.Check(unknown, nil, http.StatusNotFound, nil, []byte(`{"message":"Not Found"}`)); v.Operation != "" || v.Response != nil {
		t.Fatalf("a GitHub 404 to an unknown path: %+v", v)
	}
	if v := c.Check(unknown, nil, http.StatusOK, nil, []byte(`{}`)); v.Response == nil {
		t.Fatal("a success answer to an unknown path passed")
	}
}
