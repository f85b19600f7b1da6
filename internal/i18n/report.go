package i18n

import (
	"slices"
	"strings"

	"github.com/vardval/vardval/vardval"
)

// Report returns a copy of rep with its rejection reasons and file errors
// in l (rep itself is not changed; English returns rep). Keys stay: file
// and column names, counts and the JSON's "not read".
func Report(rep *vardval.IntakeReport, l Lang) *vardval.IntakeReport {
	if rep == nil || l != Swedish {
		return rep
	}
	out := &vardval.IntakeReport{Files: slices.Clone(rep.Files)}
	for i := range out.Files {
		f := &out.Files[i]
		f.Rejections = slices.Clone(f.Rejections)
		for j := range f.Rejections {
			f.Rejections[j].Reason = Text(f.Rejections[j].Reason, l)
		}
		if f.Error != "" {
			f.Error = FileError(f, l)
		}
	}
	return out
}

// FileError is a file's error (vardval.FileReport.Error) in l: why it
// could not be read ("FILE: reason", "FILE: column C: reason"), or which
// required file left it unread.
func FileError(f *vardval.FileReport, l Lang) string {
	if l != Swedish {
		return f.Error
	}
	if fe := f.Fatal(); fe != nil {
		if fe.Column != "" {
			return fe.File + ": kolumnen " + fe.Column + ": " + FileReason(fe, l)
		}
		return fe.File + ": " + FileReason(fe, l)
	}
	if by, ok := BlockedBy(f); ok {
		return "inte läst: " + by + " kunde inte läsas"
	}
	return Text(f.Error, l)
}

// BlockedBy returns the required file whose failure left f unread (from
// its Error, "not read: FILE could not be read").
func BlockedBy(f *vardval.FileReport) (string, bool) {
	rest, ok := strings.CutPrefix(f.Error, "not read: ")
	if !ok {
		return "", false
	}
	return strings.CutSuffix(rest, " could not be read")
}
