package payment

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestParseParameterValue(t *testing.T) {
	forty := strings.Repeat("9", 40)
	for _, tc := range []struct{ in, want string }{
		{"294", "294"}, {"1.25", "1.25"}, {"0,15", "0.15"}, {"-0.5", "-0.5"}, {" 7 ", "7"},
		{"007", "7"}, {forty, forty}, {"0." + forty, "0." + forty}, {"0000" + forty, forty},
		{"12345678901234567890.12345678901234567890", "12345678901234567890.1234567890123456789"},
	} {
		d, err := ParseParameterValue(tc.in)
		if err != nil || !d.Equal(decimal.RequireFromString(tc.want)) {
			t.Errorf("ParseParameterValue(%q) = %v, %v; want %s", tc.in, d, err, tc.want)
		}
	}
	for _, in := range []string{"", "-", "1e2", "1E2", "1e-2", "+1", "1.", ".5", "1.2.3", "1,000.50", "1 000", "0x10",
		"Inf", "-Inf", "NaN", "--1", "1_000", "١", "9" + forty, "0.0" + forty, forty + ".1"} {
		_, err := ParseParameterValue(in)
		var ne *NumberError
		if !errors.As(err, &ne) {
			t.Errorf("ParseParameterValue(%q): %v, want a *NumberError", in, err)
		}
	}
	_, err := ParseParameterValue(forty + "1")
	if err == nil || err.Error() != "a number has at most 40 significant digits, this one has 41" {
		t.Errorf("41 digits: %v", err)
	}
	_, err = ParseParameterValue("1e2")
	if err == nil || err.Error() != `not a plain decimal number: "1e2"` {
		t.Errorf("exponent: %v", err)
	}
	// A value echoed in an error never shows a personnummer.
	_, err = ParseParameterValue("19121212-1212")
	if err == nil || regexp.MustCompile(`\d{6}[-+ ]?\d{4}`).MatchString(err.Error()) {
		t.Errorf("personnummer-shaped value: %v", err)
	}
}

// A million-digit number is refused in linear time, naming key and line.
func TestLongNumberInModel(t *testing.T) {
	for _, digits := range []string{strings.Repeat("1", 1_000_000), "0." + strings.Repeat("0", 1_000_000) + "1",
		strings.Repeat("7", 500_000) + "," + strings.Repeat("3", 500_000)} {
		src := strings.Replace(minimal, `value: "100"`, `value: "`+digits+`"`, 1)
		start := time.Now()
		err := CheckModel([]byte(src), ParseOptions{File: "m.yaml"})
		// A guard against a hang, not a timing: a million digits used to
		// be parsed whole; now the parser stops at the first digit too
		// many (well under a second, seconds under -race).
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("a %d-byte number took %v", len(digits), d)
		}
		errs := modelErrors(err)
		if len(errs) != 1 || errs[0].Path != "components[0].rates[0].values[0].value" || errs[0].Line != 13 ||
			!strings.HasPrefix(errs[0].Reason, "a number has at most 40 significant digits, this one has ") {
			t.Errorf("%.20s…: %v", digits, errs)
		}
		if len(err.Error()) > 200 {
			t.Errorf("message of %d bytes", len(err.Error()))
		}
	}
	// a thousand leading zeros are not significant
	src := strings.Replace(minimal, `value: "100"`, `value: "`+strings.Repeat("0", 1000)+`100"`, 1)
	if err := CheckModel([]byte(src), ParseOptions{File: "m.yaml"}); err != nil {
		t.Errorf("leading zeros: %v", err)
	}
	// exponent notation, with the value's own line in block style
	src = strings.Replace(minimal, `- {from: 2024-01-01, value: "100", source: "doc §1"}`,
		"- from: 2024-01-01\n            value: 1e2\n            source: doc", 1)
	errs := modelErrors(CheckModel([]byte(src), ParseOptions{File: "m.yaml"}))
	if len(errs) != 1 || errs[0].Line != 14 || errs[0].Reason != `not a plain decimal number: "1e2"` {
		t.Errorf("exponent: %v", errs)
	}
}

// zeros is an endless reader that counts what it gives.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	clear(p)
	z.n += int64(len(p))
	return len(p), nil
}

func TestModelSizeLimit(t *testing.T) {
	z := &zeros{}
	_, err := ParseModel(z, ParseOptions{File: "/dev/zero"})
	var me *ModelError
	if !errors.As(err, &me) || err.Error() != "/dev/zero: model file larger than 16 MiB" || !errors.Is(err, ErrModelTooLarge) {
		t.Errorf("endless input: %v", err)
	}
	if z.n > MaxModelSize+64<<10 {
		t.Errorf("read %d bytes of an endless input", z.n)
	}
	big := bytes.Repeat([]byte("#"), MaxModelSize+1)
	if err := CheckModel(big, ParseOptions{File: "big.yaml"}); !errors.Is(err, ErrModelTooLarge) || err.Error() != "big.yaml: model file larger than 16 MiB" {
		t.Errorf("Check: %v", err)
	}
	// exactly the limit is read (and is then an empty model, not too large)
	if _, err := ParseModel(io.LimitReader(&zeros{}, 0), ParseOptions{File: "max.yaml"}); errors.Is(err, ErrModelTooLarge) {
		t.Errorf("empty input: %v", err)
	}
	if err := CheckModel(big[:MaxModelSize], ParseOptions{File: "max.yaml"}); errors.Is(err, ErrModelTooLarge) {
		t.Errorf("a file of exactly the limit: %v", err)
	}
}

// A model file writes '.' only: "1,000" (a thousand? one?) is refused, not
// read as 1.000; --set (ParseParameterValue) still takes a decimal comma.
func TestModelValueComma(t *testing.T) {
	for _, v := range []string{"1,000", "0,15"} {
		src := strings.Replace(minimal, `value: "100"`, `value: "`+v+`"`, 1)
		errs := modelErrors(CheckModel([]byte(src), ParseOptions{File: "m.yaml"}))
		if len(errs) != 1 || errs[0].Reason != `not a plain decimal number: "`+v+`"` {
			t.Errorf("value %q: %v", v, errs)
		}
	}
	if d, err := ParseParameterValue("0,15"); err != nil || d.String() != "0.15" {
		t.Errorf("--set 0,15: %v %v", d, err)
	}
}
