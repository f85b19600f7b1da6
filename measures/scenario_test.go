package measures

import (
	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/vardval"
)

// scenarioPeriod is the measurement period of the scenario region.
func scenarioPeriod() vardval.Period {
	return vardval.Period{From: d("2024-01-01"), To: d("2024-12-31")}
}

// defsNoMin returns the built-in definitions with no smallest reportable
// denominator and no small-count suppression, so that the small scenario
// shows its counts.
func defsNoMin() []Definition {
	defs := Definitions()
	for i := range defs {
		defs[i].MinDenominator = decimal.Zero
		defs[i].MinPatients = 0
		defs[i].SmallCount = -1
	}
	return defs
}

// scenario builds a small region whose persons have trajectories with
// known outcomes for every measure. Units: A and B primary, DIG digital,
// ED emergency, SP specialist. The expected counts are in
// TestScenarioCounts; each person's comment says what it contributes.
func scenario() *vardval.Region {
	b := newBuilder()
	A := b.unit("A", vardval.KindPrimary)
	B := b.unit("B", vardval.KindPrimary)
	DIG := b.unit("DIG", vardval.KindDigital)
	ED := b.unit("ED", vardval.KindEmergency)
	b.unit("SP", vardval.KindSpecialist)
	const since = "2020-01-01"
	F, M := vardval.Female, vardval.Male

	// --- depression ---
	// d01 remits and stays: index PHQ-9 12, remission after 90 days, still
	// in remission 184 days later → numerator; followed up.
	p := b.person("d01", F, "1980-05-01")
	b.list(p, A, since, "")
	b.diag(p, "2024-02-01", "F321")
	b.obs(p, "2024-02-01", "PHQ9", "12")
	b.obs(p, "2024-05-01", "PHQ9", "4")
	b.obs(p, "2024-11-01", "PHQ9", "3")
	// d02 remits and relapses (PHQ-9 9 between) → denominator only.
	p = b.person("d02", M, "1975-01-01")
	b.list(p, A, since, "")
	b.diag(p, "2023-12-01", "F33")
	b.obs(p, "2024-03-01", "PHQ9", "13")
	b.obs(p, "2024-06-01", "PHQ9", "3")
	b.obs(p, "2024-08-01", "PHQ9", "9")
	b.obs(p, "2024-12-15", "PHQ9", "2")
	// d03 never followed up → denominator, not followed up.
	p = b.person("d03", F, "1990-01-01")
	b.list(p, A, since, "")
	b.diag(p, "2024-04-01", "F320")
	b.obs(p, "2024-04-01", "PHQ9", "11")
	// d04 index outside the moderate band (18) → not in the denominator.
	p = b.person("d04", F, "1990-01-01")
	b.list(p, A, since, "")
	b.diag(p, "2024-02-01", "F322")
	b.obs(p, "2024-02-01", "PHQ9", "18")
	b.obs(p, "2024-05-01", "PHQ9", "3")
	b.obs(p, "2024-11-01", "PHQ9", "3")
	// d05 MADRS-S path at B: 25, then 12 (remission ≤ 12), then 10 after
	// the period end (follow-up runs past it) → numerator.
	p = b.person("d05", M, "1970-01-01")
	b.list(p, B, since, "")
	b.diag(p, "2024-09-01", "F321")
	b.obs(p, "2024-09-01", "MADRSS", "25")
	b.obs(p, "2024-12-01", "MADRSS", "12")
	b.obs(p, "2025-06-01", "MADRSS", "10")
	// d06 remission, but the next score is 325 days later (outside 123–243)
	// → denominator only; followed up.
	p = b.person("d06", F, "1985-01-01")
	b.list(p, A, since, "")
	b.diag(p, "2024-01-10", "F32")
	b.obs(p, "2024-01-10", "PHQ9", "10")
	b.obs(p, "2024-02-10", "PHQ9", "4")
	b.obs(p, "2024-12-31", "PHQ9", "4")
	// d07 no F32/F33 diagnosis (F41 only) → excluded.
	p = b.person("d07", F, "1985-01-01")
	b.list(p, A, since, "")
	b.diag(p, "2024-03-01", "F411")
	b.obs(p, "2024-03-01", "PHQ9", "12")
	// d08 not listed on the index date → excluded.
	p = b.person("d08", M, "1985-01-01")
	b.list(p, A, "2024-06-01", "")
	b.diag(p, "2024-03-01", "F321")
	b.obs(p, "2024-03-01", "PHQ9", "12")
	// d09 same-day ties: index day has 3 and 12 (counts as 12); the
	// 183-day score day has 4 and 7 (counts as 7, not remission) → relapse.
	p = b.person("d09", F, "1960-01-01")
	b.list(p, A, since, "")
	b.diag(p, "2024-05-05", "F331")
	b.obs(p, "2024-05-05", "PHQ9", "12")
	b.obs(p, "2024-05-05", "PHQ9", "3")
	b.obs(p, "2024-06-05", "PHQ9", "4")
	b.obs(p, "2024-12-05", "PHQ9", "4")
	b.obs(p, "2024-12-05", "PHQ9", "7")
	// d10 under 18 → excluded.
	p = b.person("d10", F, "2010-01-01")
	b.list(p, A, since, "")
	b.diag(p, "2024-02-01", "F321")
	b.obs(p, "2024-02-01", "PHQ9", "12")

	// --- care guarantee (not listed; attributed to the contact's unit) ---
	// g-persons are named q.. to keep key order.
	nurse := co{prof: vardval.Nurse, newProb: true}
	// q1 at A: same day, nurse → 0d and 3d.
	p = b.person("q1", F, "1990-01-01")
	nurse.requested = "2024-03-01"
	b.contact(p, A, "2024-03-01", nurse)
	// q2 at A: counsellor the next day, doctor at B within 3 days → 3d only.
	p = b.person("q2", F, "1990-01-01")
	b.contact(p, A, "2024-03-02", co{prof: vardval.Counsellor, newProb: true, requested: "2024-03-01"})
	b.contact(p, B, "2024-03-04", co{})
	// q3 at A: doctor after 4 days → neither.
	p = b.person("q3", M, "1990-01-01")
	b.contact(p, A, "2024-03-05", co{newProb: true, requested: "2024-03-01"})
	// q4 at B: requested missing, and requested after the date → excluded.
	p = b.person("q4", M, "1990-01-01")
	b.contact(p, B, "2024-03-05", co{newProb: true})
	b.contact(p, B, "2024-04-05", co{newProb: true, requested: "2024-04-06"})
	// q5 at B: counsellor the same day (a licensed profession since
	// 2019-07-01) → 0d and 3d; a doctor at a digital unit would not count
	// as primary care.
	p = b.person("q5", F, "1990-01-01")
	b.contact(p, B, "2024-04-01", co{prof: vardval.Counsellor, newProb: true, requested: "2024-04-01"})
	b.contact(p, DIG, "2024-04-02", co{})
	// q6: new problem at the emergency unit → not counted.
	p = b.person("q7", M, "1990-01-01")
	b.contact(p, ED, "2024-04-01", co{newProb: true, requested: "2024-04-01"})

	// --- continuity (listed at period end; contacts in the first half) ---
	// Each patient adds max_j n_j of N visits to UPC and Σn_j² − N
	// same-doctor ordered pairs of N(N − 1) to COC.
	// r1 at A: X X X Y → UPC 3 of 4, COC 9+1−4 = 6 of 12 pairs.
	p = b.person("r1", F, "1985-01-01")
	b.list(p, A, since, "")
	for i, c := range []string{"X", "X", "X", "Y"} {
		b.contact(p, A, []string{"2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01"}[i], co{clinician: c})
	}
	// r2 at A: X X (phone) → UPC 2 of 2, COC 4−2 = 2 of 2.
	p = b.person("r2", M, "1985-01-01")
	b.list(p, A, since, "")
	b.contact(p, A, "2024-02-01", co{clinician: "X"})
	b.contact(p, A, "2024-03-01", co{clinician: "X", mode: vardval.ModePhone})
	// r3 at A: X Y Z → UPC 1 of 3, COC 3−3 = 0 of 6.
	p = b.person("r3", F, "1985-01-01")
	b.list(p, A, since, "")
	b.contact(p, A, "2024-02-01", co{clinician: "X"})
	b.contact(p, A, "2024-03-01", co{clinician: "Y"})
	b.contact(p, A, "2024-04-01", co{clinician: "Z"})
	// r4 at A: one doctor contact and a nurse → excluded.
	p = b.person("r4", F, "1985-01-01")
	b.list(p, A, since, "")
	b.contact(p, A, "2024-02-01", co{clinician: "X"})
	b.contact(p, A, "2024-03-01", co{clinician: "N", prof: vardval.Nurse})
	// r5 at A: two doctors at B (not the listed unit) and a chat → excluded.
	p = b.person("r5", M, "1985-01-01")
	b.list(p, A, since, "")
	b.contact(p, B, "2024-02-01", co{clinician: "V"})
	b.contact(p, B, "2024-03-01", co{clinician: "V"})
	b.contact(p, A, "2024-04-01", co{clinician: "X", mode: vardval.ModeChat})
	// r6 at B: V W → UPC 1 of 2, COC 2−2 = 0 of 2.
	p = b.person("r6", M, "1985-01-01")
	b.list(p, B, since, "")
	b.contact(p, B, "2024-02-01", co{clinician: "V"})
	b.contact(p, B, "2024-03-01", co{clinician: "W"})
	// r7 at B: V V W (a video call counts) → UPC 2 of 3, COC 4+1−3 = 2 of 6.
	p = b.person("r7", F, "1970-01-01")
	b.list(p, B, since, "")
	b.contact(p, B, "2024-02-10", co{clinician: "V"})
	b.contact(p, B, "2024-03-10", co{clinician: "W", mode: vardval.ModeVideo})
	b.contact(p, B, "2024-04-10", co{clinician: "V"})
	// Units: A UPC 6/9, COC 8/20; B UPC 3/5, COC 2/8; region UPC 9/14,
	// COC 10/28. Patient means: A COC (0.5+1+0)/3 = 0.5, UPC
	// (0.75+1+0.333333333)/3 = 0.694444; B COC (0+0.333333333)/2 =
	// 0.166667, UPC (0.5+0.666666667)/2 = 0.583333.

	// --- coverage own unit (last six months: 2024-07-01..12-31) ---
	// v1 at A: A, A, B, DIG in the window (ED and an earlier A contact do
	// not count) → A: 4 contacts, 2 at own unit. The ED contact is an
	// emergency visit for A.
	p = b.person("v1", F, "1985-01-01")
	b.list(p, A, since, "")
	b.contact(p, A, "2024-03-01", co{})
	b.contact(p, A, "2024-08-01", co{})
	b.contact(p, A, "2024-09-01", co{prof: vardval.Nurse})
	b.contact(p, B, "2024-10-01", co{})
	b.contact(p, DIG, "2024-11-01", co{mode: vardval.ModeChat})
	b.contact(p, ED, "2024-11-02", co{})
	// v2 moves from A to B on 2024-09-01: a B contact while at A counts for
	// A (not own), one while at B counts for B (own).
	p = b.person("v2", M, "1985-01-01")
	b.list(p, A, since, "2024-08-31")
	b.list(p, B, "2024-09-01", "")
	b.contact(p, B, "2024-08-15", co{})
	b.contact(p, B, "2024-09-15", co{})

	// --- emergency visits ---
	// w1 at A: two ED contacts the same day count once; another month;
	// one before the period → 2 (plus v1's → A has 3).
	p = b.person("w1", F, "2000-01-01")
	b.list(p, A, since, "")
	b.contact(p, ED, "2023-12-31", co{})
	b.contact(p, ED, "2024-05-01", co{})
	b.contact(p, ED, "2024-05-01", co{prof: vardval.Nurse})
	b.contact(p, ED, "2024-06-01", co{})
	// w2 listed at B from July: a June visit is not counted, July is → B 1.
	p = b.person("w2", M, "2000-01-01")
	b.list(p, B, "2024-07-01", "")
	b.contact(p, ED, "2024-06-15", co{})
	b.contact(p, ED, "2024-07-15", co{})

	// --- antibiotics ---
	// x1 at A: J01CA04, J01FA09 count; methenamine and J02 do not → 2.
	p = b.person("x1", F, "1990-01-01")
	b.list(p, A, since, "")
	b.rx(p, "2024-02-01", "J01CA04")
	b.rx(p, "2024-03-01", "J01XX05")
	b.rx(p, "2024-04-01", "J01FA09")
	b.rx(p, "2024-04-02", "J02AC01")
	// x2 at B: one in the period, one after → 1.
	p = b.person("x2", M, "1990-01-01")
	b.list(p, B, since, "")
	b.rx(p, "2024-05-01", "J01CE02")
	b.rx(p, "2025-01-05", "J01CA04")

	// --- diabetes ---
	// y1 at A: latest 75 → over 70.
	p = b.person("y1", F, "1960-01-01")
	b.list(p, A, since, "")
	b.diag(p, "2023-05-01", "E11")
	b.obs(p, "2024-03-01", "HBA1C", "80")
	b.obs(p, "2024-10-01", "HBA1C", "75")
	// y2 at A: diagnosis 2022-06-01 (inside two years before), 50 → target.
	p = b.person("y2", M, "1960-01-01")
	b.list(p, A, since, "")
	b.diag(p, "2022-06-01", "E119")
	b.obs(p, "2024-06-01", "HBA1C", "50")
	// y3 at A: no HbA1c in the period → excluded.
	p = b.person("y3", M, "1960-01-01")
	b.list(p, A, since, "")
	b.diag(p, "2024-01-01", "E11")
	b.obs(p, "2023-12-01", "HBA1C", "90")
	// y4 at A: 52 and 71 the same day → 71 counts → over 70.
	p = b.person("y4", F, "1960-01-01")
	b.list(p, A, since, "")
	b.diag(p, "2024-01-05", "E10")
	b.obs(p, "2024-11-01", "HBA1C", "52")
	b.obs(p, "2024-11-01", "HBA1C", "71")
	// y5 at B: diagnosis too early → excluded.
	p = b.person("y5", F, "1960-01-01")
	b.list(p, B, since, "")
	b.diag(p, "2021-01-01", "E11")
	b.obs(p, "2024-11-01", "HBA1C", "90")
	// y6 at B: 52 on the last day → target.
	p = b.person("y6", M, "1960-01-01")
	b.list(p, B, since, "")
	b.diag(p, "2024-06-01", "E13")
	b.obs(p, "2024-12-31", "HBA1C", "52")

	// --- hypertension (persons z..) ---
	// z1 at A: 135/85 → in target.
	p = b.person("z1", F, "1955-01-01")
	b.list(p, A, since, "")
	b.diag(p, "2024-01-01", "I10")
	b.obs(p, "2024-05-01", "BPSYS", "135")
	b.obs(p, "2024-05-01", "BPDIA", "85")
	// z2 at A: latest pair 130/80 (a later systolic alone is no pair).
	p = b.person("z2", M, "1955-01-01")
	b.list(p, A, since, "")
	b.diag(p, "2023-01-01", "I11")
	b.obs(p, "2024-05-01", "BPSYS", "130")
	b.obs(p, "2024-05-01", "BPDIA", "80")
	b.obs(p, "2024-09-01", "BPSYS", "150")
	// z3 at A: systolic 138 and 142 the same day → 142 counts → not.
	p = b.person("z3", F, "1955-01-01")
	b.list(p, A, since, "")
	b.diag(p, "2024-01-01", "I10")
	b.obs(p, "2024-10-01", "BPSYS", "138")
	b.obs(p, "2024-10-01", "BPSYS", "142")
	b.obs(p, "2024-10-01", "BPDIA", "80")
	// z4 at B: 139/90 → diastolic not below 90 → not.
	p = b.person("z4", M, "1955-01-01")
	b.list(p, B, since, "")
	b.diag(p, "2024-01-01", "I15")
	b.obs(p, "2024-03-01", "BPSYS", "139")
	b.obs(p, "2024-03-01", "BPDIA", "90")
	// z5 at B: no blood pressure → excluded.
	p = b.person("z5", M, "1955-01-01")
	b.list(p, B, since, "")
	b.diag(p, "2024-01-01", "I10")

	// --- elderly (persons zo..; only they are 75+) ---
	// zo1 at A: 10 different drugs in Oct–Dec → numerator.
	p = b.person("zo1", F, "1940-01-01")
	b.list(p, A, since, "")
	for i, atc := range []string{"C07AB02", "C09AA05", "C10AA01", "B01AC06", "A02BC01", "N02BE01", "C03CA01", "A10BA02", "N06AB06", "H03AA01"} {
		b.rx(p, vardval.D(2024, 10+i%3, 1+i).String(), atc)
	}
	// zo2 at A: 9 different in the window (+ repeats, + one before) → no.
	p = b.person("zo2", M, "1945-01-01")
	b.list(p, A, since, "")
	for i, atc := range []string{"C07AB02", "C09AA05", "C10AA01", "B01AC06", "A02BC01", "N02BE01", "C03CA01", "A10BA02", "N06AB06", "C07AB02", "C09AA05", "C10AA01"} {
		b.rx(p, vardval.D(2024, 10+i%3, 1+i).String(), atc)
	}
	b.rx(p, "2024-09-30", "H03AA01")
	// zo3 at A: 74 on the last day → excluded.
	p = b.person("zo3", F, "1950-01-01")
	b.list(p, A, since, "")
	// zo4 at B: 75+, no prescriptions → denominator only.
	p = b.person("zo4", M, "1930-01-01")
	b.list(p, B, since, "")
	return b.region()
}

// mustRegistry returns a registry of defs alone.
func mustRegistry(defs []Definition) *Registry {
	reg, err := NewRegistry(defs...)
	if err != nil {
		panic(err)
	}
	return reg
}
