package redact

import (
	"regexp"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Vårdcentralen Norr", "Vårdcentralen Norr"},
		{"VC 19121212-1212", "VC [personnummer]"},
		{"191212-1212", "[personnummer]"},
		{"191212+1212 x", "[personnummer] x"},
		{"191212121212", "[personnummer]"},
		{"1912121212", "[personnummer]"},
		{"19121212 1212", "[personnummer]"},
		{"20240231-9999", "[personnummer]"}, // impossible date
		{"191272-1219", "[personnummer]"},   // samordningsnummer
		{"a1912121212b", "a[personnummer]b"},
		{"12345", "12345"},
		{"123456", "123456"},
		{"2024-01-31", "2024-01-31"},
		{"tel 040-123456", "tel 040-123456"},
		{"esc\x1b[31mred", "esc\uFFFD[31mred"},
		{"nul\x00tab\tlf\n", "nul\uFFFDtab\uFFFDlf\uFFFD"},
		{"c1 \u009b2J", "c1 \uFFFD2J"},
		{"bad \xff byte", "bad \uFFFD byte"},
		{"VC 19121212\u20131212", "VC [personnummer]"}, // en dash (word processors)
		{"VC 19121212\u20141212", "VC [personnummer]"},
		{"191212 - 1212", "[personnummer]"},
		{"191212 -1212 x", "[personnummer] x"},
		{"191212\t1212", "[personnummer]"},
		{"2887500000", "[personnummer]"}, // data text: every shape
	} {
		if got := Text(tc.in); got != tc.want {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTerminal(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"total\t5000000000.00\n", "total\t5000000000.00\n"},
		{"-12345678901,50 kr\n", "-12345678901,50 kr\n"},
		{"unit 191212-1212\n", "unit [personnummer]\n"},
		{"123456 7890.00\n", "123456 7890.00\n"},
		{"0.1912121212\n", "0.1912121212\n"},
		{"\x1b]0;title\a", "\uFFFD]0;title\uFFFD"},
		// The engine's amounts (with a decimal part) stay; a whole number
		// of ten digits is masked, personnummer or not.
		{"total 2887500000.00\n", "total 2887500000.00\n"},
		{"total 2012121212.00\n", "total 2012121212.00\n"},
		{"dir /tmp/x3826852234/r\n", "dir /tmp/x[personnummer]/r\n"},
		// Personnummer are masked, however they are followed.
		{"19121212-1212,00\n", "[personnummer],00\n"},
		{"191212-1212.5\n", "[personnummer].5\n"},
		{"1,191212-1212\n", "1,[personnummer]\n"},
		{"x 1912121212\n", "x [personnummer]\n"},
		{"x 191212121212\n", "x [personnummer]\n"},
		{"x 191272-1219 (samordningsnummer)\n", "x [personnummer] (samordningsnummer)\n"},
		{"191212 \u2013 1212\n", "[personnummer]\n"},
	} {
		if got := string(Terminal([]byte(tc.in))); got != tc.want {
			t.Errorf("Terminal(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestContains(t *testing.T) {
	for s, want := range map[string]bool{"VC 191212-1212": true, "VC Norr": false, "0701234567": true, "2024-03-01": false} {
		if got := Contains(s); got != want {
			t.Errorf("Contains(%q) = %v, want %v", s, got, want)
		}
	}
}

// pnr is what a reader would take for a personnummer in any spelling.
var pnr = regexp.MustCompile(`\d{6}[-+ ]?\d{4}`)

func FuzzText(f *testing.F) {
	for _, s := range []string{"191212-1212", "VC 19121212 1212", "\x1b[2J", "12345-67890", "a\xc2\x9bb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s)
		if pnr.MatchString(out) {
			t.Fatalf("Text(%q) = %q keeps a personnummer form", s, out)
		}
		if !utf8.ValidString(out) {
			t.Fatalf("Text(%q) = %q is not UTF-8", s, out)
		}
		for _, r := range out {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
				t.Fatalf("Text(%q) = %q keeps control %U", s, out, r)
			}
		}
		if Contains(out) {
			t.Fatalf("Text(%q) = %q still holds a personnummer shape", s, out)
		}
		if Text(out) != out {
			t.Fatalf("Text is not idempotent on %q", s)
		}
	})
}
