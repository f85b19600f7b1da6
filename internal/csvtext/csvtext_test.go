package csvtext

import "testing"

func TestText(t *testing.T) {
	for in, want := range map[string]string{
		`=HYPERLINK("http://x","a")`: `'=HYPERLINK("http://x","a")`,
		"+46":                        "'+46", "-1": "'-1", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx",
		"VC001": "VC001", "Vårdcentralen Norr": "Vårdcentralen Norr", "": "",
	} {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}
