// Package synth generates deterministic synthetic regions: the CSV files of
// the public data contract (docs/data-contract.md) — units, listings,
// contacts, diagnoses, observations, prescriptions and areas, and the
// follow-up files procedures, admissions, clinicians, calls and survey —
// for a
// Swedish-like county of any size, realistic enough to exercise payment
// models and outcome measures.
//
// # Use
//
//	sum, err := synth.Generate(ctx, synth.Config{Persons: 20000, Seed: 1}, synth.Writers{
//		Units: unitsFile, Listings: listingsFile, Contacts: contactsFile, ...})
//
// [GenerateFiles] returns the files in memory for small regions.
//
// # Determinism and memory
//
// The same [Config] always gives byte-identical files. Every person is
// drawn from its own PCG stream (math/rand/v2) seeded from Config.Seed and
// the person's number, and units and areas from a separate stream, so a
// person never depends on how many random numbers another person used.
// Normal deviates come from a fixed quantile table and exponentials from a
// pure-Go polynomial with explicit roundings, so no platform math library
// (or fused multiply-add) can change a value. Generation streams person by
// person: state is O(units + areas) plus one person's contacts, reused, so
// 10.5 million persons need no more memory than 10,000.
//
// # What is generated
//
//   - Persons follow Sweden's age/sex pyramid (SCB, 31 December 2023, five-
//     year bands; see pyramid). Ids are pseudonyms "SYN000000001" …; no
//     value in any file has the shape of a personnummer (Skatteverket's
//     official list of test personnummer was not available to embed, so
//     none are used). Sex and birth_date are always filled.
//   - Units: max(3, round(Persons/PerUnit)) vårdcentraler "VC001" … with
//     invented Swedish-sounding names, spread over Halland's municipalities
//     (13xx) by population, ~40 % privately owned, lognormal list sizes
//     (σ 0.45); one emergency department "AKUT1", one digital provider
//     "DIGI1" and one specialist clinic "SPEC1".
//   - Areas: 20–40 DeSO-shaped areas ("1380C0012") per vårdcentral; CNI =
//     0.6 + lognormal, mean ≈ 1, clamped to 0.6–2.5. 90 % of a unit's
//     listed persons live in its own areas.
//   - Listings: most start in earlier years (never before the unit opened or
//     the person was born); newborns and ~3 % in-movers start within the
//     year; ~5 % move to a neighbouring unit (first listing ends on day X,
//     the next starts on X+1); deaths and moves out of the county close
//     ~1–2 %. ACG weights are lognormal around 1 (0.1–15, four decimals,
//     rising with age and morbidity) with an ACG-style category label.
//   - Contacts, all within the data year: ~4 primary-care contacts per
//     person-year (~1.5 with a doctor; more for infants and the old), ~10 %
//     at another vårdcentral than the listing one, ~0.25 emergency and ~0.3
//     digital contacts per person-year, some specialist contacts; modes,
//     professions, urgent, patient fees (0/100/200/300 SEK, 0 under 20 and
//     from 85, 0 after the 1,300 SEK high-cost ceiling), new_problem (~40 %)
//     with requested 0–10 days earlier (specialist referrals up to 89 days;
//     never before 1 January), and
//     pseudonymous clinicians ("D0123" doctors, "N…" nurses, "T…" other
//     staff) with continuity: patients mostly meet one or two of their
//     unit's ~6 doctors. Contact ids are "C0000000001" ….
//   - Diagnoses (ICD-10-SE with dot, linked to contact and unit):
//     depression F32/F33 (~6 % of adults), diabetes E11 or E10 (~6 % of
//     adults, rising with age), hypertension I10 (~22 % of those 40+),
//     infections (J06.9, J02.9, N39.0, H66.9 …) and everyday problems.
//   - Prescriptions (ATC, with DDD): antibiotics (J01CE02, J01CA04,
//     J01FA09, J01XX05 methenamine …) at ~250–270 per 1,000 person-years,
//     and drugs for chronic and everyday problems.
//   - Observations at contacts: PHQ-9 (or MADRS-S for ~15 %) trajectories
//     for depressed persons — index score mostly 10–14; remission (< 5)
//     within three months lasting at six months ±30 days, remission then
//     relapse, no remission, or no follow-up — HbA1c (mmol/mol, 35–110,
//     1–3 a year) and BMI for diabetics, BPSYS/BPDIA pairs for
//     hypertensives.
//   - The follow-up files, from random streams of their own (so the files
//     above are the same with or without them; rates and their sources in
//     followup.go): KVÅ procedures (advisory talks on lifestyle for ~30 %
//     a year of adults with diabetes or hypertension, medication reviews
//     XV015/XV016 for ~35 % of persons 75+, influenza vaccination DT016 in
//     October–December for ~55 % of persons 65+); acute and planned
//     admissions (~4–50 % a year by age, more with chronic conditions,
//     ~120 per 1,000 a year; about one in twelve on the list of avoidable
//     hospital care); every unit's
//     staff in clinicians.csv (~10 % of vårdcentral doctors hired for part
//     of the year); weekday calls per vårdcentral (~1.4 a day per 100
//     listed, 80–95 % answered the same day); and two survey questions per
//     vårdcentral (delaktighet, helhetsintryck) in October.
//
// Every date but a listing's from lies within the data year: follow-up
// scores that would fall after 31 December (or after a listing closes) are
// not generated, as in a real one-year extract, so six-month measures can
// be evaluated for episodes indexed early in the year (half of the index
// contacts fall in the first 90 listed days).
//
// # Scale
//
// Measured on the project's 2-core machine (one goroutine): about 600,000
// persons per CPU-second with all seven files formatted (~650 bytes per
// person). A 10.5-million-person region — 1,167 vårdcentraler, 34,762
// areas, 11.0 M listings, 46.7 M contacts, 37.4 M diagnoses, 7.8 M
// observations, 8.8 M prescriptions, 6.8 GB of CSV — took 17.7 s of CPU
// with a peak resident set of 16 MB.
//
// # Zero values
//
// The zero Config is valid and generates a region with three vårdcentraler,
// the three other units, their areas, their staff (clinicians.csv) and no
// persons (no calls or survey answers either). A zero [Writers]
// generates the region without writing anything (useful for counting).
package synth
