package vardval

import (
	"fmt"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
)

// validPNR12 agrees with ParsePersonnummer on 12-digit and 13-character
// ('-') spellings, valid or not (random dates, check digits, samordnings-
// nummer days), and is false for every other spelling.
func TestValidPNR12AgreesWithParse(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 20000
	props := gopter.NewProperties(params)
	props.Property("validPNR12 = ParsePersonnummer succeeds", prop.ForAll(
		func(year, month, day, serial, check int, form int) bool {
			digits := fmt.Sprintf("%04d%02d%02d%03d%d", year, month, day, serial, check)
			var s string
			switch form {
			case 0:
				s = digits
			case 1:
				s = digits[:8] + "-" + digits[8:]
			case 2:
				s = digits[:8] + "+" + digits[8:]
			default:
				s = digits[2:]
			}
			_, err := ParsePersonnummer(s, D(2024, 12, 31))
			want := err == nil && (form == 0 || form == 1)
			if got := validPNR12([]byte(s)); got != want {
				t.Logf("%s (form %d): validPNR12 %v, parse error %v", "<redacted>", form, got, err)
				return false
			}
			return true
		},
		gen.IntRange(1790, 2210), gen.IntRange(0, 13), gen.IntRange(0, 92), gen.IntRange(0, 999), gen.IntRange(0, 9), gen.IntRange(0, 3),
	))
	props.TestingRun(t)
}
