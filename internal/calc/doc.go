// Package calc is the pure-Go logic of the browser calculator: what the
// WebAssembly glue in package wasm (the only package that imports
// syscall/js) calls, built and unit-tested natively on every platform.
//
// A [Calculator] answers these questions for the page:
//
//   - [Calculator.Models]: the payment models (the embedded ones and any
//     the caller gave with [Calculator.AddModel]), the years they can
//     price, the age bands and measures a described unit is entered by.
//   - [Calculator.Describe]: "describe one unit" — listed persons by age
//     band and sex, mean ACG weight, CNI, contacts by kind and measure
//     results — priced at once under a model for one calendar year, and
//     optionally side by side under a second model (payment.Compare: the
//     difference attributed to components).
//   - [Calculator.Region]: a region's CSV files (read in the browser, never
//     uploaded) priced for every unit, with the follow-up measures and one
//     funnel plot per measure, for a year or one month of it.
//   - [Calculator.Reprice]: the region Region read last, priced again under
//     another model, year or month without reading its files again (a
//     Skåne-size month in a fraction of a second).
//   - [Calculator.Vary]: that region with one parameter of the model
//     changed (the page's slider), priced from the region's sums made once
//     per model and period (payment.Sweeper), beside the model's own
//     statement; a pool share is balanced by the pool's largest other
//     share, as `vardval compare --vary` balances it.
//
// They return a [View] (Vary a [VaryView]): the statement as the page shows it (every line
// with quantity, rate, amount, parameter, validity, source, assumption
// and explanation; money as decimal strings), and the last statement can
// be downloaded as CSV or JSON with [Calculator.Download].
//
// # The described unit and the rest of the region
//
// Relative-index models (Skåne's pool split: a pool shared out by ACG,
// age/sex, CNI and actively listed indices normalised over the region)
// cannot price one unit alone: its share depends on everyone else. So
// Describe builds an in-memory [vardval.Region] holding the described unit
// (unit id [DescribedUnitID]) together with a reference rest of the region:
// the deterministic synthetic region of package synth ([ReferencePersons]
// persons, seed 1, the chosen year). The described unit's listed persons
// join that region's pool; persons listed at the reference units make the
// described unit's "listed elsewhere" visits, and the reference region's
// first vårdcentral, emergency department and digital provider receive the
// described unit's listed persons' contacts elsewhere. Per-person models
// (Halland's capitation, VGR's listing points) do not depend on the
// reference at all; pool models give the share the unit would get in an
// average region. The reference region is generated once per year and
// cached in the Calculator.
//
// Contacts are entered per year and spread evenly over the days of the
// year; the k-th contact of a kind goes to listed person k mod n, so the
// number of distinct persons with a contact (Skåne's "actively listed") is
// min(contacts, listed). Each listed person of an age band is given the
// birth date that keeps them inside the band the whole year (and on the
// previous month's cut-off day), and every listed person the entered mean
// ACG weight and an area with the entered CNI.
//
// # Zero values and invariants
//
// The zero Calculator is not usable; get one from [New]. A Calculator is
// safe for concurrent use. It keeps the region its last Region read (and
// the measures of the last period priced over it) in memory for Reprice,
// until the next Region lets it go. Same input, same output: views and downloads
// are byte-identical whatever the order of the input rows. Money is never
// a float: amounts are exact decimals from package payment, and measure
// values are entered and passed as decimal strings.
package calc
