package vardval

import "testing"

func TestCSVText(t *testing.T) {
	for in, want := range map[string]string{
		`=HYPERLINK("http://x","a")`: `'=HYPERLINK("http://x","a")`,
		"+46":                        "'+46", "-1": "'-1", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx",
		"VC001": "VC001", "Vårdcentralen Norr": "Vårdcentralen Norr", "": "",
	} {
		if got := CSVText(in); got != want {
			t.Errorf("CSVText(%q) = %q, want %q", in, got, want)
		}
	}
}
