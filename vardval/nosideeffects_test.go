package vardval

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// No library package has process-wide side effects (issue 16): outside
// cmd/, no non-test file imports runtime/debug or runtime/metrics (the
// memory limit, FreeOSMemory, GC settings) or calls runtime.GC. The
// command does these things for its own memory target, through
// LoadOptions.Reclaim.
func TestNoProcessWideCalls(t *testing.T) {
	root := filepath.Join("..")
	fset := token.NewFileSet()
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			base := d.Name()
			if rel == "cmd" || base == "testdata" || base == "node_modules" || (strings.HasPrefix(base, ".") && rel != ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		n++
		runtimeName := ""
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			switch p {
			case "runtime/debug", "runtime/metrics":
				t.Errorf("%s imports %s", rel, p)
			case "runtime":
				runtimeName = "runtime"
				if imp.Name != nil {
					runtimeName = imp.Name.Name
				}
			}
		}
		if runtimeName == "" {
			return nil
		}
		ast.Inspect(f, func(nd ast.Node) bool {
			if sel, ok := nd.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == runtimeName && sel.Sel.Name == "GC" {
					t.Errorf("%s: runtime.GC at %s", rel, fset.Position(sel.Pos()))
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Fatalf("only %d files checked: the walk missed the module", n)
	}
}
