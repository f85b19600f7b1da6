package payment

import (
	"strings"
	"testing"
)

// A suppressed row as `vardval measures --format json` writes it (numerator
// and value null) is read as suppressed, not rejected as incomplete.
func TestReadResultsSuppressedRow(t *testing.T) {
	in := `{"period": {"from": "2024-01-01", "to": "2024-12-31"}, "measures": [
	 {"measure": "care_guarantee_3d", "unit_id": "VC001", "numerator": null, "denominator": 12, "value": null,
	  "ci_low": null, "ci_high": null, "method": "wilson-95", "suppressed": true},
	 {"measure": "care_guarantee_3d", "unit_id": "VC002", "numerator": 80, "denominator": 100, "value": 0.8,
	  "ci_low": 0.71, "ci_high": 0.87, "method": "wilson-95"}]}`
	res, err := ReadResults(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	r, ok := res.Lookup("care_guarantee_3d", "VC001")
	if !ok || !r.Suppressed || !r.Value.IsZero() || r.Denominator.String() != "12" {
		t.Errorf("suppressed row = %+v, %v", r, ok)
	}
	r, ok = res.Lookup("care_guarantee_3d", "VC002")
	if !ok || r.Suppressed || r.Value.String() != "0.8" {
		t.Errorf("plain row = %+v, %v", r, ok)
	}
}
