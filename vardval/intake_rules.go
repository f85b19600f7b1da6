package vardval

// listingFitsUnit rejects a listing that cannot be paid as listed: persons
// are listed at primary-care units only (a listing at an emergency,
// specialist or digital unit would carry capitation to no statement), and
// within the unit's own open period when units.csv gives one.
func listingFitsUnit(r *row, u *Unit, per Period) bool {
	if u.Kind != KindPrimary {
		r.reject("unit_id", "unit "+safeValue(u.ID)+" is of kind "+u.Kind.String()+"; persons are listed at primary-care units only")
		return false
	}
	if !u.Active.From.IsZero() && per.From.Before(u.Active.From) {
		r.reject("from", "listing starts "+per.From.String()+", before the unit opens on "+u.Active.From.String())
		return false
	}
	if !u.Active.To.IsZero() && (per.To.IsZero() || per.To.After(u.Active.To)) {
		r.reject("to", "listing runs past the unit's last day "+u.Active.To.String()+"; close it by then")
		return false
	}
	return true
}

// containsPersonnummer reports whether free text holds a valid personnummer
// or samordningsnummer (right shape, real date, right check digit), e.g. a
// sole trader's organisationsnummer in a unit name. Phone numbers and other
// digit runs rarely pass both the date and the Luhn check.
func containsPersonnummer(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) || (i > 0 && isDigit(s[i-1])) {
			continue
		}
		j := i
		for j < len(s) && (isDigit(s[j]) || ((s[j] == '-' || s[j] == '+') && j+1 < len(s) && isDigit(s[j+1]))) {
			j++
		}
		if cand := s[i:j]; LooksLikePersonnummer(cand) {
			if _, err := ParsePersonnummer(cand, D(2024, 12, 31)); err == nil {
				return true
			}
		}
		i = j
	}
	return false
}
