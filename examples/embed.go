package examples

import (
	"embed"
	"io/fs"
	"path"
	"slices"
	"strings"
)

//go:embed */*.yaml */README.md
var files embed.FS

// ModelFile is one embedded model file (its text, not a parsed
// payment.Model; parse Data with payment.ParseModel).
type ModelFile struct {
	Name string // "<region>-<year>", e.g. "skane-2023"
	Path string // path inside the embedded tree, e.g. "skane/2023.yaml"
	Data []byte
}

// Models returns every embedded model file, sorted by name.
func Models() []ModelFile {
	var out []ModelFile
	paths, _ := fs.Glob(files, "*/*.yaml")
	for _, p := range paths {
		data, err := files.ReadFile(p)
		if err != nil {
			continue
		}
		region, year := path.Dir(p), strings.TrimSuffix(path.Base(p), ".yaml")
		out = append(out, ModelFile{Name: region + "-" + year, Path: p, Data: data})
	}
	slices.SortFunc(out, func(a, b ModelFile) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// LookupModel returns the embedded model with the given name.
func LookupModel(name string) (ModelFile, bool) {
	for _, m := range Models() {
		if m.Name == name {
			return m, true
		}
	}
	return ModelFile{}, false
}

// README returns the README of a region's folder ("" if none).
func README(region string) string {
	b, _ := files.ReadFile(region + "/README.md")
	return string(b)
}
