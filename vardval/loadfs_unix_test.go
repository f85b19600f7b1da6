//go:build unix

package vardval

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A FIFO, a device, a directory and a dangling symlink in os.DirFS are
// refused without being opened (a FIFO would block), as unreadable files,
// not as missing ones.
func TestLoadFSNotRegular(t *testing.T) {
	for _, c := range []struct {
		name, file string
		plant      func(path string) error
		reason     string
	}{
		{"fifo-units", FileUnits, func(p string) error { return syscall.Mkfifo(p, 0o644) }, ReasonNotRegular},
		{"fifo-contacts", FileContacts, func(p string) error { return syscall.Mkfifo(p, 0o644) }, ReasonNotRegular},
		{"device-diagnoses", FileDiagnoses, func(p string) error { return os.Symlink("/dev/zero", p) }, ReasonNotRegular},
		{"directory-areas", FileAreas, func(p string) error { return os.Mkdir(p, 0o755) }, ReasonNotRegular},
		{"dangling-listings", FileListings, func(p string) error { return os.Symlink(filepath.Join(p+".d", "nowhere.csv"), p) }, ReasonDanglingLink},
		{"dangling-prescriptions", FilePrescriptions, func(p string) error { return os.Symlink("nowhere.csv", p) }, ReasonDanglingLink},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := copyDir(t, "testdata/intake/clean")
			path := filepath.Join(dir, c.file)
			os.Remove(path)
			if err := c.plant(path); err != nil {
				t.Skip(err)
			}
			done := make(chan struct{})
			var (
				r   *Region
				rep *IntakeReport
				err error
			)
			go func() {
				defer close(done)
				r, rep, err = LoadFS(context.Background(), os.DirFS(dir), LoadOptions{})
			}()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("LoadFS blocked")
			}
			var fe *FileError
			if !errors.As(err, &fe) || fe.File != c.file || fe.Reason != c.reason || r != nil {
				t.Fatalf("LoadFS: %v, want %s: %s", err, c.file, c.reason)
			}
			if f := rep.File(c.file); !f.Present || f.Fatal() == nil || !strings.Contains(f.Error, c.reason) {
				t.Errorf("report of %s: %+v", c.file, *f)
			}
		})
	}
}
