package payment

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/vardval"
)

// Results holds measure results read from a file, for goal-related pay in
// place of computing the measures (PriceOptions.Results). The zero value
// holds none.
type Results struct {
	byKey  map[[2]string]measures.Result
	period vardval.Period // the JSON's "period"; zero when not given
}

// Period returns the period the results were computed over, as the
// measures JSON output states it ("period": {"from", "to"}); zero when
// the file does not say (CSV, or a bare JSON array). Goal pay reads
// results with a period only for an indicator whose window is that
// period (PriceOptions.RunOptionsFor).
func (r *Results) Period() vardval.Period {
	if r == nil {
		return vardval.Period{}
	}
	return r.period
}

// Lookup returns the result of measure for unitID; its signature fits
// RunOptions.Measures.
func (r *Results) Lookup(measure, unitID string) (measures.Result, bool) {
	if r == nil || r.byKey == nil {
		return measures.Result{}, false
	}
	x, ok := r.byKey[[2]string{measure, unitID}]
	return x, ok
}

// Len returns the number of results.
func (r *Results) Len() int { return len(r.byKey) }

// ResultsError is a problem in a results file: the line (1 = header in a
// CSV file; 0 when not known), the column or field, and what is wrong.
type ResultsError struct {
	Line   int
	Column string
	Reason string
}

// Error formats the problem as "results:LINE: COLUMN: reason".
func (e *ResultsError) Error() string {
	s := "results"
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
	}
	if e.Column != "" {
		s += ": " + e.Column
	}
	return s + ": " + e.Reason
}

// ReadResults reads measure results from CSV (header with measure,
// unit_id, numerator, denominator, value and optionally ci_low, ci_high,
// method, suppressed, design_effect) or JSON (the measures output object {"measures":
// [...]} or a bare array of such objects). Numbers are plain decimals,
// read exactly (JSON numbers are taken as their text, never as floats);
// the interval bounds are display-only. A (measure, unit) pair may occur
// once.
func ReadResults(r io.Reader) (*Results, error) {
	const limit = 256 << 20
	lr := &io.LimitedReader{R: r, N: limit + 1}
	res, err := readResults(bufio.NewReader(lr))
	if err == nil && lr.N <= 0 {
		return nil, &ResultsError{Reason: "the results file is larger than 256 MiB"}
	}
	if err == nil && len(res.byKey) == 0 {
		return nil, &ResultsError{Reason: "no results in the file: goal-related pay would silently be zero"}
	}
	return res, err
}

func readResults(br *bufio.Reader) (*Results, error) {
	for {
		b, err := br.Peek(1)
		if err != nil {
			return &Results{byKey: map[[2]string]measures.Result{}}, nil
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			_, _ = br.ReadByte()
			continue
		case 0xEF: // UTF-8 BOM
			bom, _ := br.Peek(3)
			if bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
				_, _ = br.Discard(3)
				continue
			}
		case '{', '[':
			return readResultsJSON(br)
		}
		return readResultsCSV(br)
	}
}

type resultRow struct {
	Measure     string      `json:"measure"`
	UnitID      string      `json:"unit_id"`
	Numerator   json.Number `json:"numerator"`
	Denominator json.Number `json:"denominator"`
	Value       json.Number `json:"value"`
	CILow       json.Number `json:"ci_low"`
	CIHigh      json.Number `json:"ci_high"`
	Method      string      `json:"method"`
	Suppressed  bool        `json:"suppressed"`
	// Suppression "not_available" (or "available": false) marks a measure
	// whose input the region was not given: no denominator, not a value.
	Suppression string `json:"suppression"`
	Available   *bool  `json:"available"`
	// DesignEffect is optional (clustered measures); goal pay judged on
	// shrunk uses it, exactly as written (at most 6 decimals).
	DesignEffect json.Number `json:"design_effect"`
}

func readResultsJSON(r io.Reader) (*Results, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &ResultsError{Reason: "cannot read: " + err.Error()}
	}
	var rows []resultRow
	var period vardval.Period
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("[")) {
		err = dec.Decode(&rows)
	} else {
		var obj struct {
			Period *struct {
				From string `json:"from"`
				To   string `json:"to"`
			} `json:"period"`
			Measures []resultRow `json:"measures"`
		}
		err = dec.Decode(&obj)
		rows = obj.Measures
		if err == nil && obj.Period != nil {
			from, ferr := vardval.ParseDate(obj.Period.From)
			to, terr := vardval.ParseDate(obj.Period.To)
			if ferr != nil || terr != nil || to.Before(from) {
				return nil, &ResultsError{Column: "period", Reason: "not a period of two dates, from ≤ to"}
			}
			period = vardval.Period{From: from, To: to}
		}
	}
	if err != nil {
		return nil, &ResultsError{Reason: "not valid results json: " + err.Error()}
	}
	out := &Results{byKey: map[[2]string]measures.Result{}, period: period}
	var errs []error
	for i, row := range rows {
		where := fmt.Sprintf("measures[%d]", i)
		res, err := row.result(func(col, reason string) error {
			return &ResultsError{Column: where + "." + col, Reason: reason}
		})
		if err == nil {
			err = out.add(res, func(reason string) error { return &ResultsError{Column: where, Reason: reason} })
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

func (row resultRow) result(fail func(col, reason string) error) (measures.Result, error) {
	res := measures.Result{Measure: strings.TrimSpace(row.Measure), UnitID: strings.TrimSpace(row.UnitID), Method: row.Method, Suppressed: row.Suppressed}
	if res.Measure == "" {
		return res, fail("measure", "missing measure id")
	}
	if strings.TrimSpace(row.Suppression) == string(measures.SuppressedNotAvailable) || row.Available != nil && !*row.Available {
		// Not available: an input of the measure was not given.
		res.Suppressed, res.NotAvailable = true, true
		return res, nil
	}
	for _, f := range []struct {
		col string
		txt json.Number
		dst *decimal.Decimal
	}{{"numerator", row.Numerator, &res.Numerator}, {"denominator", row.Denominator, &res.Denominator}, {"value", row.Value, &res.Value}} {
		s := strings.TrimSpace(f.txt.String())
		if s == "" {
			if (f.col == "value" || f.col == "numerator") && res.Suppressed {
				continue // the measures output never shows a suppressed value
			}
			return res, fail(f.col, "missing")
		}
		d, n, ok := parseNumber(s)
		if !ok {
			return res, fail(f.col, (&NumberError{Value: shortText(s), Digits: n}).Error())
		}
		*f.dst = d
	}
	for _, f := range []struct {
		col string
		txt json.Number
		dst *float64
	}{{"ci_low", row.CILow, &res.CILow}, {"ci_high", row.CIHigh, &res.CIHigh}, {"design_effect", row.DesignEffect, &res.DesignEffect}} {
		if s := strings.TrimSpace(f.txt.String()); s != "" {
			x, err := strconv.ParseFloat(s, 64) // display-only interval bound
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1e12 {
				return res, fail(f.col, fmt.Sprintf("not a finite number: %q", s))
			}
			*f.dst = x
		}
	}
	if res.Suppressed {
		return res, nil
	}
	// The figures that drive money must be consistent: counts not negative,
	// and the value the quotient of numerator and denominator, for a share
	// (scale 1, numerator ≤ denominator), a percentage (a share × 100, the
	// scale a region's own proportion may have) or a rate per 1,000.
	if res.Numerator.Sign() < 0 || res.Denominator.Sign() < 0 || res.Value.Sign() < 0 {
		return res, fail("value", "numerator, denominator and value must not be negative")
	}
	if res.Denominator.Sign() > 0 {
		tol := decimal.New(1, -5)
		q := res.Numerator.DivRound(res.Denominator, 12)
		share := q.Sub(res.Value).Abs().LessThanOrEqual(tol) && res.Numerator.LessThanOrEqual(res.Denominator)
		percent := q.Mul(decimal.NewFromInt(100)).Sub(res.Value).Abs().LessThanOrEqual(tol.Mul(decimal.NewFromInt(100))) && res.Numerator.LessThanOrEqual(res.Denominator)
		rate := q.Mul(decimal.NewFromInt(1000)).Sub(res.Value).Abs().LessThanOrEqual(tol.Mul(decimal.NewFromInt(1000)))
		if !share && !percent && !rate {
			return res, fail("value", fmt.Sprintf("value %s is neither numerator/denominator (a share, numerator ≤ denominator), nor that × 100 (a percentage), nor numerator/denominator × 1000 (a rate)", res.Value))
		}
	}
	return res, nil
}

func (r *Results) add(res measures.Result, fail func(string) error) error {
	k := [2]string{res.Measure, res.UnitID}
	if _, dup := r.byKey[k]; dup {
		return fail(fmt.Sprintf("duplicate result for measure %q and unit %q", res.Measure, res.UnitID))
	}
	r.byKey[k] = res
	return nil
}

func readResultsCSV(r io.Reader) (*Results, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, &ResultsError{Line: 1, Reason: "cannot read the header: " + err.Error()}
	}
	if len(head) == 1 && strings.Contains(head[0], ";") {
		return nil, &ResultsError{Line: 1, Reason: "use , as the delimiter"}
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"measure", "unit_id", "numerator", "denominator", "value"} {
		if _, ok := col[need]; !ok {
			return nil, &ResultsError{Line: 1, Column: need, Reason: "missing required column"}
		}
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	out := &Results{byKey: map[[2]string]measures.Result{}}
	var errs []error
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			errs = append(errs, &ResultsError{Line: line, Reason: "bad csv: " + err.Error()})
			break
		}
		line, _ := cr.FieldPos(0)
		supp := strings.EqualFold(get(rec, "suppressed"), "true") || strings.EqualFold(get(rec, "suppressed"), "yes")
		row := resultRow{Measure: get(rec, "measure"), UnitID: get(rec, "unit_id"), Numerator: json.Number(get(rec, "numerator")),
			Denominator: json.Number(get(rec, "denominator")), Value: json.Number(get(rec, "value")),
			CILow: json.Number(get(rec, "ci_low")), CIHigh: json.Number(get(rec, "ci_high")), Method: get(rec, "method"), Suppressed: supp,
			Suppression: get(rec, "suppression"), DesignEffect: json.Number(get(rec, "design_effect"))}
		res, err := row.result(func(c, reason string) error { return &ResultsError{Line: line, Column: c, Reason: reason} })
		if err == nil {
			err = out.add(res, func(reason string) error { return &ResultsError{Line: line, Reason: reason} })
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}
