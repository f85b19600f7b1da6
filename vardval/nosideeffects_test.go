package vardval

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// No library package has process-wide side effects (issue 16): outside
// cmd/, no non-test file imports runtime/debug or runtime/metrics (the
// memory limit, FreeOSMemory, GC settings) or calls runtime.GC; and no
// library package (outside cmd/ and not package main) imports os/signal
// (signal handlers belong to the program) or calls os.Exit (a library
// returns an error). The command does these things for its own memory
// target, through LoadOptions.Reclaim, and for its own exit.
func TestNoProcessWideCalls(t *testing.T) {
	problems, n, err := processWideCalls(filepath.Join(".."))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
	if n < 20 {
		t.Fatalf("only %d files checked: the walk missed the module", n)
	}
}

// TestNoProcessWideCallsFinds: the check finds each kind of call in a
// planted library file, under an alias too, and lets package main and
// cmd/ be.
func TestNoProcessWideCallsFinds(t *testing.T) {
	root := t.TempDir()
	write := func(rel, src string) {
		t.Helper()
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("lib/lib.go", `package lib

import (
	"os"
	"os/signal"
	rt "runtime"
	"runtime/debug"
)

func F() {
	signal.Ignore()
	debug.FreeOSMemory()
	rt.GC()
	os.Exit(1)
}
`)
	write("lib/alias.go", `package lib

import xos "os"

func G() { xos.Exit(2) }
`)
	write("lib/lib_test.go", "package lib\n\nimport \"os\"\n\nfunc H() { os.Exit(3) }\n")
	write("tool/main.go", "package main\n\nimport (\n\t\"os\"\n\t\"os/signal\"\n)\n\nfunc main() { signal.Ignore(); os.Exit(4) }\n")
	write("cmd/x/main.go", "package main\n\nimport \"runtime\"\n\nfunc main() { runtime.GC() }\n")
	problems, n, err := processWideCalls(root)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(problems, "\n")
	for _, want := range []string{"imports os/signal", "imports runtime/debug", "runtime.GC at", "os.Exit at " + filepath.Join(root, "lib", "lib.go"),
		"os.Exit at " + filepath.Join(root, "lib", "alias.go")} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in:\n%s", want, got)
		}
	}
	if len(problems) != 5 || n != 3 {
		t.Errorf("%d files checked, problems:\n%s\nwant 3 files (not the test or cmd/) and 5 problems (none in package main)", n, got)
	}
}

// processWideCalls walks the module at root and returns one line for each
// process-wide import or call TestNoProcessWideCalls refuses, and the
// number of files it read.
func processWideCalls(root string) (problems []string, n int, err error) {
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
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
		library := f.Name.Name != "main"
		// calls names the package-level calls refused in this file, by
		// the name the file gives the package: runtime.GC everywhere,
		// os.Exit in a library.
		calls := map[string]string{}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			name := p
			if imp.Name != nil {
				name = imp.Name.Name
			}
			switch {
			case p == "runtime/debug" || p == "runtime/metrics" || (p == "os/signal" && library):
				problems = append(problems, rel+" imports "+p)
			case p == "runtime":
				calls[name] = "GC"
			case p == "os" && library:
				calls[name] = "Exit"
			}
		}
		if len(calls) == 0 {
			return nil
		}
		ast.Inspect(f, func(nd ast.Node) bool {
			if sel, ok := nd.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && calls[id.Name] != "" && calls[id.Name] == sel.Sel.Name {
					pkg := "runtime"
					if sel.Sel.Name == "Exit" {
						pkg = "os"
					}
					problems = append(problems, rel+": "+pkg+"."+sel.Sel.Name+" at "+fset.Position(sel.Pos()).String())
				}
			}
			return true
		})
		return nil
	})
	return problems, n, err
}
