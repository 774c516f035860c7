package terraformwords

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// patterns are the words that belong to Terraform and this provider's configuration, not to
// GitHub. Names GitHub's API also uses (threat_model, create_request, languages, runner_type) are
// not here: the client sends them. Nor are "plan" and "apply" alone, which GitHub's runs and
// billing also use; an apply is caught with the words that make it Terraform's.
var patterns = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\bterraform\b`),
	regexp.MustCompile(`(?i)\bopentofu\b`),
	regexp.MustCompile(`(?i)\bapply again\b`),
	regexp.MustCompile(`(?i)\b(an|the|this|each|one|every|next|last|large|long) apply\b`),
	regexp.MustCompile(`(?i)\bplan[- ]time\b`),
	regexp.MustCompile(`-parallelism\b`),
	regexp.MustCompile(`(?i)\btimeouts (block|attribute)\b|'s timeouts\b|\btimeouts\.(create|read|update|delete)\b`),
	regexp.MustCompile(`(?i)\bprovider block\b`),
	regexp.MustCompile(`\b(app_auth|base_url|api_version|cache_dir|insecure_http|max_concurrency|points_per_minute|private_key_file|write_delay|wait_for_run|max_results)\b`),
}

// names are words that contain a Terraform word without speaking of it: the module's own path,
// its binary's name, and file names (cache_dir.go).
var names = regexp.MustCompile(`(?i)terraform-(provider|plugin)-[a-z0-9-]+|\b[\w-]+\.go\b`)

// Finding is one comment or string that speaks Terraform.
type Finding struct {
	Pos   token.Position
	Words string // what matched
}

func (f Finding) String() string { return fmt.Sprintf("%s: %q", f.Pos, f.Words) }

// Find reports every comment and string literal in dir's non-test Go files that matches a
// Terraform word, in file and line order. Import paths and struct tags are not read: they are
// names, not words to a person.
func Find(dir string) ([]Finding, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var found []Finding
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		fileFound, err := findInSource(name, src)
		if err != nil {
			return nil, err
		}
		found = append(found, fileFound...)
	}
	return found, nil
}

// findInSource is Find for one file's source.
func findInSource(name string, src []byte) ([]Finding, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	skip := map[*ast.BasicLit]bool{}
	for _, imp := range file.Imports {
		skip[imp.Path] = true
	}
	var texts []*ast.BasicLit
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Field:
			if n.Tag != nil {
				skip[n.Tag] = true
			}
		case *ast.BasicLit:
			if n.Kind == token.STRING && !skip[n] {
				texts = append(texts, n)
			}
		}
		return true
	})
	var found []Finding
	check := func(pos token.Pos, text string) {
		text = names.ReplaceAllString(text, "")
		for _, p := range patterns {
			for _, m := range p.FindAllString(text, -1) {
				found = append(found, Finding{Pos: fset.Position(pos), Words: m})
			}
		}
	}
	for _, group := range file.Comments {
		for _, c := range group.List {
			check(c.Slash, c.Text)
		}
	}
	for _, lit := range texts {
		check(lit.ValuePos, lit.Value)
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].Pos.Line < found[j].Pos.Line })
	return found, nil
}
