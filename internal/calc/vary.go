package calc

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/internal/i18n"
	"github.com/vardval/vardval/internal/redact"
	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
)

// VaryRequest asks for the region kept by the last Region priced with one
// parameter of the model changed: what the page's slider shows as it
// moves. The region's files are not read again, and its person-by-person
// sums are made once per model and period (payment.Sweeper) and shared by
// every value of a parameter that does not change what is summed.
type VaryRequest struct {
	RegionRequest
	// Key is the parameter's key path, as VaryView.Params gives it
	// ("components[0].shares[2].share", skane-2023's CNI share); "" asks
	// for the model's statement and the parameters alone.
	Key string `json:"key"`
	// Value is the parameter's value, a decimal with '.' ("0.20"); "" is
	// the model's own value. It applies over the whole validity of the
	// model, as `vardval compare --vary` applies it.
	Value string `json:"value"`
}

// VaryView is the loaded region under the model with one parameter
// changed, beside the model's own statement. Money is a decimal string
// with the model's rounding, as in View.
type VaryView struct {
	Model  ModelRef   `json:"model"`
	Period PeriodView `json:"period"`
	// Params are the parameters a slider can move: the model's components'
	// parameters with a value in force at the period's start, pool shares
	// first.
	Params []VaryParam `json:"params"`
	// Key, Label and Value are the parameter priced and its value (""
	// when the request named none).
	Key   string `json:"key,omitempty"`
	Label string `json:"label,omitempty"`
	Value string `json:"value,omitempty"`
	// Values are the slider's positions in order (the model's own value
	// among them, at BaseIndex); Index is Value's position, -1 when Value
	// is not one of them.
	Values    []string `json:"values,omitempty"`
	Index     int      `json:"index"`
	BaseIndex int      `json:"base_index"`
	// Balance is the pool share that takes up the difference when Key is
	// a pool share (the shares of a pool sum to 1): the largest other
	// share of the pool at the period's start, as `compare --vary`
	// chooses it; BalanceValue is its value in this variant.
	Balance      string `json:"balance,omitempty"`
	BalanceLabel string `json:"balance_label,omitempty"`
	BalanceValue string `json:"balance_value,omitempty"`
	// BaseTotal is the region's total under the model, Total under the
	// variant and Diff = Total − BaseTotal.
	BaseTotal string     `json:"base_total"`
	Total     string     `json:"total"`
	Diff      string     `json:"diff"`
	Units     []VaryUnit `json:"units"`
}

// VaryParam is a parameter a slider can move: its key path, a label in the
// request's language and its value at the period's start.
type VaryParam struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Value string `json:"value"`
	Share bool   `json:"share"` // a pool share (a fraction of the pool)
}

// VaryUnit is one unit under the model (Base) and under the variant.
type VaryUnit struct {
	UnitID string `json:"unit_id"`
	Name   string `json:"name"`
	Base   string `json:"base"`
	Total  string `json:"total"`
	Diff   string `json:"diff"`
}

// varySteps is how many slider steps lie on each side of a parameter's
// own value (a pool share moves by 0.01 over its whole range instead).
const varySteps = 20

// poolShare matches a pool share's key path.
var poolShare = regexp.MustCompile(`^(components\[\d+\])\.shares\[(\d+)\]\.share$`)

// lastPriced returns the statement Region or Reprice priced last when it
// was priced for k, else nil.
func (l *loadedRegion) lastPriced(k priceKey) *payment.Statement {
	l.swMu.Lock()
	defer l.swMu.Unlock()
	if l.last != nil && l.priced == k {
		return l.last
	}
	if l.sweeper != nil && l.sweeper.Model() == k.m && l.swPeriod == k.period && l.swNoMeasures == k.noMeasures {
		return l.sweeper.Base()
	}
	return nil
}

// sweeperFor returns the sweeper of l for m over period, made (summing
// the region and pricing m) when another model, period or choice of
// measures was swept last.
func (l *loadedRegion) sweeperFor(ctx context.Context, m *payment.Model, period vardval.Period, noMeasures bool) (*payment.Sweeper, error) {
	opts := payment.PriceOptions{NoMeasures: noMeasures}
	if !noMeasures {
		mrep, err := l.measuresFor(ctx, period)
		if err != nil {
			return nil, err
		}
		opts.Measures = mrep
	}
	l.swMu.Lock()
	defer l.swMu.Unlock()
	if l.sweeper != nil && l.sweeper.Model() == m && l.swPeriod == period && l.swNoMeasures == noMeasures {
		return l.sweeper, nil
	}
	l.sweeper = nil // let the sums before go first
	sw, err := payment.NewSweeper(ctx, m, l.r, period, opts)
	if err != nil {
		return nil, err
	}
	l.sweeper, l.swPeriod, l.swNoMeasures = sw, period, noMeasures
	return sw, nil
}

// Vary prices the region kept by the last Region (see Reprice) under
// req.Model with req.Key set to req.Value, beside the model's own
// statement: each unit's amount, the region's total and their differences.
// Each call after the first for a model and period prices from the sums
// already made. Errors: an *InputError for Field "files" when no region is
// kept, "key" for a key that is not one of Params, "value" for a value
// that is not a number or that the model does not accept (then wrapping
// the *payment.OverrideError); and Reprice's.
func (c *Calculator) Vary(ctx context.Context, req VaryRequest) (*VaryView, error) {
	m, err := c.model(req.Model)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	l := c.loaded
	c.mu.Unlock()
	if l == nil {
		return nil, &InputError{Field: "files", Reason: "no region is loaded: open the region's files first"}
	}
	period, err := pricePeriod(m, l.r, req.RegionRequest)
	if err != nil {
		return nil, err
	}
	lang := viewLang(req.Lang)
	v := &VaryView{Model: ModelRef{Name: m.Name, Region: m.Region, Title: i18n.Title(m, lang)},
		Period: PeriodView{From: period.From.String(), To: period.To.String()}, Index: -1, BaseIndex: -1,
		Params: varyParams(m, period.From, lang), Units: []VaryUnit{}}
	var p *VaryParam
	if req.Key != "" {
		for i := range v.Params {
			if v.Params[i].Key == req.Key {
				p = &v.Params[i]
			}
		}
		if p == nil {
			return nil, &InputError{Field: "key", Reason: fmt.Sprintf("%q is not a parameter of model %s that can be varied", redact.Text(clipKey(req.Key)), m.Name)}
		}
	}
	var variant payment.Variant
	atOwn := true // the model's own values: its statement, however priced
	if p != nil {
		own := decimal.RequireFromString(p.Value)
		val := own
		if strings.TrimSpace(req.Value) != "" {
			if val, err = payment.ParseParameterValue(req.Value); err != nil {
				return nil, &InputError{Field: "value", Reason: "not a number with '.' as the decimal point", Err: err}
			}
		}
		bal, balValue, overrides := varyOverrides(m, p, own, val, period.From)
		variant = payment.Variant{Name: p.Key + "=" + val.String(), Overrides: overrides}
		atOwn = val.Equal(own)
		if _, err := m.With(overrides...); err != nil {
			return nil, &InputError{Field: "value", Reason: fmt.Sprintf("%s = %s: the model does not accept it", p.Key, val), Err: err}
		}
		v.Key, v.Label, v.Value = p.Key, p.Label, val.String()
		if bal != nil {
			v.Balance, v.BalanceLabel, v.BalanceValue = bal.Key, paramLabel(m, bal.Key, lang), balValue.String()
		}
		v.Values = varyValues(m, p, own, period.From)
		v.Index = slices.IndexFunc(v.Values, func(s string) bool { return decimal.RequireFromString(s).Equal(val) })
		v.BaseIndex = slices.IndexFunc(v.Values, func(s string) bool { return decimal.RequireFromString(s).Equal(own) })
	}
	// At the model's own values the statement the region was priced with
	// last serves (the slider is shown at once); the sums are made on the
	// first move.
	var base, st *payment.Statement
	if atOwn {
		base = l.lastPriced(priceKey{m, period, req.NoMeasures})
	}
	if base == nil {
		sw, err := l.sweeperFor(ctx, m, period, req.NoMeasures)
		if err != nil {
			return nil, err
		}
		base = sw.Base()
		if !atOwn {
			vs, err := sw.Price(ctx, variant)
			if err != nil {
				return nil, &InputError{Field: "value", Reason: fmt.Sprintf("%s = %s cannot be priced", p.Key, v.Value), Err: err}
			}
			st = vs.Statement
		}
	}
	if st == nil {
		st = base
	}
	rd := st.Rounding
	v.BaseTotal, v.Total, v.Diff = base.Rounding.Format(base.Total), rd.Format(st.Total), rd.Format(st.Total.Sub(base.Total))
	baseOf := map[string]decimal.Decimal{}
	for _, u := range base.Units {
		baseOf[u.UnitID] = u.Total
	}
	for _, u := range st.Units {
		b := baseOf[u.UnitID]
		v.Units = append(v.Units, VaryUnit{UnitID: u.UnitID, Name: redact.Text(u.Name), Base: base.Rounding.Format(b), Total: rd.Format(u.Total), Diff: rd.Format(u.Total.Sub(b))})
	}
	return v, nil
}

// clipKey shortens a key from a request for a message.
func clipKey(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// varyParams lists the parameters of m's components with a value in
// force on day at: the pool shares first (of pools with more than one
// share), then the others in the model's order.
func varyParams(m *payment.Model, at vardval.Date, lang i18n.Lang) []VaryParam {
	var shares, others []VaryParam
	for _, prm := range m.Params() {
		if !strings.HasPrefix(prm.Path, "components[") {
			continue
		}
		d, ok := prm.At(at)
		if !ok {
			continue
		}
		vp := VaryParam{Key: prm.Path, Label: paramLabel(m, prm.Path, lang), Value: d.Value.String()}
		if g := poolShare.FindStringSubmatch(prm.Path); g != nil {
			if len(poolShares(m, g[1])) < 2 {
				continue
			}
			vp.Share = true
			shares = append(shares, vp)
			continue
		}
		others = append(others, vp)
	}
	return append(shares, others...)
}

// poolShares returns the key paths of the shares of pool (components[i]).
func poolShares(m *payment.Model, pool string) []string {
	var out []string
	for _, prm := range m.Params() {
		if g := poolShare.FindStringSubmatch(prm.Path); g != nil && g[1] == pool {
			out = append(out, prm.Path)
		}
	}
	return out
}

// paramLabel names a component parameter for the page: the component's
// name (and the share's, for a pool share) in lang, then the key path.
func paramLabel(m *payment.Model, path string, lang i18n.Lang) string {
	open, close := strings.Index(path, "["), strings.Index(path, "]")
	i, err := strconv.Atoi(path[open+1 : close])
	if err != nil || i < 0 || i >= len(m.Components) {
		return path
	}
	ci := m.Components[i].Info()
	head := lang.Pick(ci.NameSV, ci.NameEN, ci.Name)
	if g := poolShare.FindStringSubmatch(path); g != nil {
		if ps, ok := m.Components[i].(*payment.PoolSplit); ok {
			if j, err := strconv.Atoi(g[2]); err == nil && j < len(ps.Shares) {
				s := ps.Shares[j]
				return head + ": " + lang.Pick(s.NameSV, s.NameEN, s.Name) + " (" + ci.ID + ".shares[" + g[2] + "].share)"
			}
		}
	}
	return head + " (" + ci.ID + path[close+1:] + ")"
}

// balanceOf returns the share of p's pool that takes up the difference
// when p, a pool share, is varied: the largest other share in force on
// day at (the first on a tie), with its value.
func balanceOf(m *payment.Model, p *VaryParam, at vardval.Date) (string, decimal.Decimal, bool) {
	g := poolShare.FindStringSubmatch(p.Key)
	if g == nil {
		return "", decimal.Decimal{}, false
	}
	params := map[string]*payment.Param{}
	for _, prm := range m.Params() {
		params[prm.Path] = prm
	}
	best, bestValue := "", decimal.Decimal{}
	for _, path := range poolShares(m, g[1]) {
		if path == p.Key {
			continue
		}
		if d, ok := params[path].At(at); ok && (best == "" || d.Value.GreaterThan(bestValue)) {
			best, bestValue = path, d.Value
		}
	}
	return best, bestValue, best != ""
}

// varyOverrides are the overrides that set p to val (own: its value at
// the period's start), with the balancing share of a pool share set to
// its value plus own − val, so that the pool's shares keep their sum. It
// returns the balancing share (nil when there is none) and its value.
func varyOverrides(m *payment.Model, p *VaryParam, own, val decimal.Decimal, at vardval.Date) (*VaryParam, decimal.Decimal, []payment.Override) {
	overrides := []payment.Override{{Key: p.Key, Value: val}}
	key, bv, ok := balanceOf(m, p, at)
	if !ok {
		return nil, decimal.Decimal{}, overrides
	}
	nv := bv.Add(own).Sub(val)
	overrides = append(overrides, payment.Override{Key: key, Value: nv})
	return &VaryParam{Key: key, Value: bv.String(), Share: true}, nv, overrides
}

// varyValues are the slider's positions for p (own: its value at the
// period's start), each one the model accepts: for a pool share 0 to 1 in
// steps of 0.01 (and own), as far as the balancing share stays within 0–1;
// otherwise own ± up to varySteps steps of a round size near own/20, not
// below 0 (an integer own moves by whole numbers).
func varyValues(m *payment.Model, p *VaryParam, own decimal.Decimal, at vardval.Date) []string {
	var cand []decimal.Decimal
	if p.Share {
		step := decimal.New(1, -2)
		for x := decimal.Zero; x.LessThanOrEqual(decimal.NewFromInt(1)); x = x.Add(step) {
			cand = append(cand, x)
		}
		if !slices.ContainsFunc(cand, own.Equal) {
			cand = append(cand, own)
		}
		slices.SortFunc(cand, func(a, b decimal.Decimal) int { return a.Cmp(b) })
	} else {
		step := roundStep(own)
		for k := -varySteps; k <= varySteps; k++ {
			if x := own.Add(step.Mul(decimal.NewFromInt(int64(k)))); !x.IsNegative() {
				cand = append(cand, x)
			}
		}
	}
	var out []string
	for _, x := range cand {
		_, _, ov := varyOverrides(m, p, own, x, at)
		if p.Share && ov[len(ov)-1].Value.IsNegative() || p.Share && ov[len(ov)-1].Value.GreaterThan(decimal.NewFromInt(1)) {
			continue
		}
		if _, err := m.With(ov...); err != nil {
			continue
		}
		out = append(out, x.String())
	}
	return out
}

// roundStep is a slider step for a parameter of value v: 1, 2 or 5 times
// a power of ten, the largest not above v/20 (at least 1 for an integer
// v, 0.01 for v = 0).
func roundStep(v decimal.Decimal) decimal.Decimal {
	if v.IsZero() {
		return decimal.New(1, -2)
	}
	target := v.Abs().Div(decimal.NewFromInt(varySteps))
	step := decimal.New(1, int32(len(target.Truncate(0).String())-1))
	if target.LessThan(decimal.NewFromInt(1)) {
		step = decimal.New(1, -2)
		for step.Mul(decimal.NewFromInt(10)).LessThanOrEqual(target) {
			step = step.Mul(decimal.NewFromInt(10))
		}
	}
	for _, f := range []int64{5, 2} {
		if s := step.Mul(decimal.NewFromInt(f)); s.LessThanOrEqual(target) && !s.Mul(decimal.NewFromInt(10)).LessThanOrEqual(target) {
			step = s
			break
		}
	}
	if v.IsInteger() && step.LessThan(decimal.NewFromInt(1)) {
		step = decimal.NewFromInt(1)
	}
	return step
}
