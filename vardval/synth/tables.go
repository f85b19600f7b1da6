package synth

// The tables are returned by functions, never kept in package variables,
// so that the package has no mutable state.

// pyramid returns Sweden's population on 31 December 2023 by five-year age
// band (0–4, 5–9, …, 90–94, 95+) as {men, women} in thousands.
//
// Source: Statistics Sweden (SCB), table "Folkmängd efter ålder och kön. År
// 1860–2024" (BE0101N1, matrix 0000053A, statistikdatabasen.scb.se/sq/118505),
// reference time 31 December 2023. The figures are approximations rounded
// to thousands, NOT verified cell by cell against that table in this
// session (it was not reachable); they match its published totals (about
// 10.5 million, 50.3 % men) and the shape of the pyramid, which is all a
// synthetic region needs. Replace them with the table's values before
// using them for anything else.
func pyramid() [20][2]int {
	return [20][2]int{
		{283, 267}, // 0–4
		{311, 294}, // 5–9
		{325, 306}, // 10–14
		{315, 293}, // 15–19
		{315, 287}, // 20–24
		{350, 320}, // 25–29
		{380, 356}, // 30–34
		{362, 343}, // 35–39
		{338, 322}, // 40–44
		{328, 316}, // 45–49
		{345, 335}, // 50–54
		{335, 327}, // 55–59
		{298, 296}, // 60–64
		{272, 280}, // 65–69
		{262, 281}, // 70–74
		{235, 266}, // 75–79
		{140, 171}, // 80–84
		{70, 99},   // 85–89
		{24, 45},   // 90–94
		{5, 13},    // 95+
	}
}

// municipality is one kommun of the synthetic county.
type municipality struct {
	code string
	name string
	pop  int // residents 2023-12-31
}

// municipalities returns Halland county's six municipalities with their
// populations on 31 December 2023 (regionfakta.com quarterly population
// figures from SCB,
// https://www.regionfakta.com/hallands-lan/snabbstatistik/befolkningssiffror-kvartalsvis/).
func municipalities() []municipality {
	return []municipality{
		{"1315", "Hylte", 10299},
		{"1380", "Halmstad", 105796},
		{"1381", "Laholm", 26565},
		{"1382", "Falkenberg", 47108},
		{"1383", "Varberg", 68325},
		{"1384", "Kungsbacka", 85653},
	}
}

// placeParts returns the syllables that make Swedish-sounding place names:
// every name is a prefix + a suffix ("Ekdal", "Björkhult"), invented, not a
// list of real places.
func placeParts() (prefixes, suffixes []string) {
	prefixes = []string{"Ek", "Björk", "Gran", "Tall", "Ås", "Sjö", "Berg", "Lind", "Hag", "Al",
		"Ny", "Väster", "Öster", "Söder", "Norr", "Strand", "Skog", "Lönn", "Rönn", "Bok",
		"Sand", "Sten", "Ängs", "Kvarn", "Furu", "Hassel", "Mal", "Lid", "Ros", "Vall"}
	suffixes = []string{"dal", "hult", "by", "torp", "vik", "lund", "holm", "näs", "berga", "sta",
		"ås", "hem", "gården", "backa", "ryd", "fors", "ö", "mo", "hög", "slätt"}
	return prefixes, suffixes
}

// drug is one prescription choice: an ATC code and the DDD of one
// prescription in hundredths.
type drug struct {
	atc   string
	ddd   int // hundredths of a DDD
	share int // relative weight among the drugs for the same problem
}

// problem is a reason for contact with its ICD-10-SE code, how often it
// occurs, and what is prescribed for it.
type problem struct {
	code    string
	w       int     // relative weight
	minAge  int     // youngest age the problem is drawn for
	female  int     // extra weight (percent) for women: 100 = same as men
	rxShare float64 // probability of a prescription at a doctor contact
	drugs   []drug
}

// Antibiotics (ATC J01) with the DDD of a typical course.
func pcv() drug         { return drug{"J01CE02", 1500, 80} } // phenoxymethylpenicillin
func amoxicillin() drug { return drug{"J01CA04", 700, 15} }
func clarithro() drug   { return drug{"J01FA09", 700, 5} }
func doxy() drug        { return drug{"J01AA02", 1000, 30} }

// infections returns the infection problems for an age: (children, adults).
func infections(age int) []problem {
	if age < 5 {
		return []problem{
			{"J06.9", 40, 0, 100, 0.05, []drug{pcv()}},
			{"H66.9", 25, 0, 100, 0.55, []drug{pcv(), amoxicillin(), clarithro()}},
			{"J20.9", 10, 0, 100, 0.10, []drug{amoxicillin()}},
			{"J02.9", 5, 0, 100, 0.60, []drug{pcv(), clarithro()}},
			{"A09.9", 10, 0, 100, 0, nil},
			{"B34.9", 10, 0, 100, 0, nil},
		}
	}
	if age < 18 {
		return []problem{
			{"J06.9", 40, 0, 100, 0.05, []drug{pcv()}},
			{"J02.9", 25, 0, 100, 0.65, []drug{pcv(), clarithro()}},
			{"H66.9", 10, 0, 100, 0.50, []drug{pcv(), amoxicillin()}},
			{"A09.9", 10, 0, 100, 0, nil},
			{"J01.9", 5, 0, 100, 0.40, []drug{pcv(), doxy()}},
			{"N39.0", 5, 0, 300, 0.80, []drug{{"J01CA08", 500, 50}, {"J01XE01", 375, 50}}},
			{"L01.0", 5, 0, 100, 0.30, []drug{{"J01CF05", 750, 100}}},
		}
	}
	return []problem{
		{"J06.9", 35, 0, 100, 0.05, []drug{pcv()}},
		{"J02.9", 12, 0, 100, 0.60, []drug{pcv(), clarithro()}},
		{"N39.0", 14, 0, 400, 0.85, []drug{{"J01CA08", 500, 45}, {"J01XE01", 375, 40}, {"J01MA02", 700, 10}, {"J01EA01", 500, 5}}},
		{"J01.9", 10, 0, 100, 0.45, []drug{pcv(), doxy()}},
		{"J20.9", 10, 0, 100, 0.15, []drug{doxy()}},
		{"J18.9", 5, 0, 100, 0.90, []drug{pcv(), amoxicillin(), doxy(), clarithro()}},
		{"L03.1", 5, 0, 100, 0.85, []drug{{"J01CF05", 750, 80}, {"J01FF01", 750, 20}}},
		{"A09.9", 6, 0, 100, 0, nil},
		{"H10.9", 3, 0, 100, 0, nil},
	}
}

// others returns the non-infection problems of everyday primary care.
func others() []problem {
	return []problem{
		{"Z00.0", 8, 0, 100, 0, nil},
		{"M54.5", 10, 16, 100, 0.30, []drug{{"M01AE01", 2000, 100}}},
		{"M25.5", 7, 16, 100, 0.20, []drug{{"M01AE01", 2000, 100}}},
		{"R51", 4, 5, 130, 0.20, []drug{{"N02BE01", 1000, 100}}},
		{"R10.4", 4, 0, 120, 0, nil},
		{"K59.0", 3, 0, 130, 0.30, []drug{{"A06AD11", 3000, 100}}},
		{"L30.9", 4, 0, 100, 0.40, []drug{{"D07AB02", 3000, 100}}},
		{"L20.9", 3, 0, 100, 0.50, []drug{{"D07AB02", 3000, 100}}},
		{"J45.9", 5, 0, 100, 0.70, []drug{{"R03AC02", 5000, 60}, {"R03BA02", 10000, 40}}},
		{"F41.1", 5, 15, 170, 0.25, []drug{{"N06AB10", 10000, 70}, {"N05BB01", 3000, 30}}},
		{"F43.2", 4, 15, 150, 0, nil},
		{"G47.0", 3, 18, 130, 0.40, []drug{{"N05CF01", 3000, 100}}},
		{"E78.5", 4, 40, 100, 0.80, []drug{{"C10AA01", 10000, 60}, {"C10AA05", 10000, 40}}},
		{"I48.9", 3, 60, 80, 0.70, []drug{{"B01AF02", 10000, 70}, {"C07AB02", 10000, 30}}},
		{"M17.1", 3, 55, 120, 0.30, []drug{{"N02BE01", 10000, 100}}},
		{"R05", 4, 0, 100, 0, nil},
		{"R53", 3, 16, 130, 0, nil},
		{"E03.9", 2, 25, 400, 0.90, []drug{{"H03AA01", 10000, 100}}},
		{"Z76.0", 5, 30, 100, 0.95, []drug{{"C10AA01", 10000, 30}, {"N02BE01", 10000, 30}, {"A02BC01", 10000, 40}}},
		{"K21.9", 3, 20, 100, 0.70, []drug{{"A02BC01", 5600, 100}}},
	}
}

// emergencies returns the problems of emergency-department contacts.
func emergencies() []problem {
	return []problem{
		{"R07.4", 10, 18, 100, 0, nil},
		{"R10.4", 10, 0, 110, 0, nil},
		{"S52.5", 5, 0, 130, 0, nil},
		{"S06.0", 5, 0, 80, 0, nil},
		{"S93.4", 5, 5, 100, 0, nil},
		{"S01.8", 5, 0, 80, 0, nil},
		{"J18.9", 6, 0, 100, 0.90, []drug{pcv(), amoxicillin(), doxy()}},
		{"N39.0", 4, 0, 300, 0.80, []drug{{"J01CA08", 500, 50}, {"J01MA02", 700, 50}}},
		{"L03.1", 3, 0, 100, 0.85, []drug{{"J01CF05", 750, 100}}},
		{"I48.9", 4, 50, 90, 0.40, []drug{{"B01AF02", 10000, 100}}},
		{"J45.9", 3, 0, 100, 0.50, []drug{{"R03AC02", 5000, 100}}},
		{"R55", 5, 0, 110, 0, nil},
		{"T78.4", 2, 0, 100, 0.50, []drug{{"R06AE07", 1000, 100}}},
		{"R50.9", 5, 0, 100, 0, nil},
	}
}

// digitals returns the problems of digital-provider contacts.
func digitals() []problem {
	return []problem{
		{"J06.9", 30, 0, 100, 0.05, []drug{pcv()}},
		{"N39.0", 15, 16, 500, 0.80, []drug{{"J01CA08", 500, 50}, {"J01XE01", 375, 50}}},
		{"J02.9", 8, 0, 100, 0.40, []drug{pcv()}},
		{"H10.9", 6, 0, 100, 0.50, []drug{{"S01AA01", 500, 100}}},
		{"L30.9", 10, 0, 100, 0.40, []drug{{"D07AB02", 3000, 100}}},
		{"F41.1", 6, 16, 160, 0, nil},
		{"R51", 5, 5, 100, 0, nil},
		{"B35.3", 4, 0, 100, 0.40, []drug{{"D01AE15", 3000, 100}}},
		{"Z30.0", 6, 15, 10000, 0.80, []drug{{"G03AA07", 8400, 100}}},
	}
}

// specialties returns the problems of specialist-clinic contacts.
func specialties() []problem {
	return []problem{
		{"I48.9", 10, 50, 80, 0.30, []drug{{"B01AF02", 10000, 100}}},
		{"I50.9", 6, 60, 90, 0.50, []drug{{"C03CA01", 10000, 100}}},
		{"K50.9", 3, 10, 100, 0.50, []drug{{"A07EC02", 10000, 100}}},
		{"M05.9", 4, 20, 250, 0.50, []drug{{"L04AX03", 10000, 100}}},
		{"N18.3", 4, 50, 100, 0, nil},
		{"H40.1", 4, 50, 100, 0.70, []drug{{"S01EE01", 10000, 100}}},
		{"M17.1", 6, 50, 120, 0, nil},
		{"C61", 3, 55, 0, 0, nil},
		{"J44.9", 5, 45, 100, 0.70, []drug{{"R03AL04", 10000, 100}}},
	}
}

// acgCodes returns ACG-style category labels by weight band (upper bound
// of the band in ten-thousandths). They imitate the shape of Johns Hopkins
// ACG category codes; the grouper itself is not reimplemented.
func acgCodes() []struct {
	upTo  int
	codes []string
} {
	return []struct {
		upTo  int
		codes []string
	}{
		{2500, []string{"ACG-5310", "ACG-0100"}},
		{5000, []string{"ACG-0300", "ACG-0400", "ACG-0500"}},
		{8000, []string{"ACG-0900", "ACG-1100", "ACG-1300"}},
		{12000, []string{"ACG-1600", "ACG-1711", "ACG-1712", "ACG-1800"}},
		{20000, []string{"ACG-2100", "ACG-2300", "ACG-3400", "ACG-3500"}},
		{40000, []string{"ACG-4100", "ACG-4320", "ACG-4420", "ACG-4430"}},
		{80000, []string{"ACG-4730", "ACG-4830", "ACG-5040"}},
		{150000, []string{"ACG-5070", "ACG-5090", "ACG-5230"}},
	}
}
