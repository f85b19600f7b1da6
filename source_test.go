package source

import (
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestFilesBuildWasm checks that Files holds go.mod, go.sum and every Go
// file and embedded file of every package of this module that the browser
// build compiles (`go list -deps ./wasm` for js/wasm), byte for byte.
func TestFilesBuildWasm(t *testing.T) {
	goExe, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no Go toolchain")
	}
	cmd := exec.Command(goExe, "list", "-deps", "-json=ImportPath,Dir,Module,GoFiles,EmbedFiles", "./wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOWORK=off", "GOFLAGS=")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	root, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"go.mod", "go.sum"}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	packages := 0
	for {
		var p struct {
			ImportPath, Dir     string
			Module              *struct{ Path string }
			GoFiles, EmbedFiles []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if p.Module == nil || p.Module.Path != "github.com/vardval/vardval" {
			continue
		}
		packages++
		rel, err := filepath.Rel(root, p.Dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range append(p.GoFiles, p.EmbedFiles...) {
			want = append(want, filepath.ToSlash(filepath.Join(rel, f)))
		}
	}
	if packages < 5 {
		t.Fatalf("go list named %d packages of this module; want the browser build's (at least 5)", packages)
	}
	for _, name := range want {
		got, err := fs.ReadFile(Files, name)
		if err != nil {
			t.Errorf("Files lacks %s, which the browser build needs: add its package directory's pattern to source.go", name)
			continue
		}
		disk, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(disk) {
			t.Errorf("Files holds another %s than the source tree", name)
		}
	}
}
