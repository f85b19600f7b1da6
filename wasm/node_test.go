//go:build !(js && wasm)

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnderNode runs this package's GOOS=js tests (glue_test.go) and the
// calc package's tests as WebAssembly under Node, through the toolchain's
// go_js_wasm_exec. It skips when node is missing, unless
// VARDVAL_REQUIRE_BROWSER is set.
func TestUnderNode(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	if _, err := exec.LookPath("node"); err != nil {
		if os.Getenv("VARDVAL_REQUIRE_BROWSER") != "" {
			t.Fatal("node is missing and VARDVAL_REQUIRE_BROWSER is set")
		}
		t.Skip("node is not installed")
	}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	goroot := strings.TrimSpace(string(out))
	execDir := filepath.Join(goroot, "lib", "wasm")
	if _, err := os.Stat(filepath.Join(execDir, "go_js_wasm_exec")); err != nil {
		execDir = filepath.Join(goroot, "misc", "wasm")
	}
	// The inner run has its own timeout, so a hang under Node names its test
	// instead of running into this binary's.
	cmd := exec.Command("go", "test", "-count=1", "-timeout=4m", "./wasm/...")
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "PATH="+execDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	b, err := cmd.CombinedOutput()
	t.Logf("GOOS=js GOARCH=wasm go test ./wasm/...:\n%s", b)
	if err != nil {
		t.Fatal(err)
	}
}
