package payment

import (
	"math/big"
	"slices"

	"github.com/shopspring/decimal"
)

// Rounding is a model's single rounding rule. Every statement line's exact
// amount goes through [Rounding.Round] exactly once (or through
// [Rounding.Allocate] for pools shared out between units); totals are sums of
// rounded lines and are never rounded again.
type Rounding struct {
	Name   string // rule name as written in the model file
	Places int32  // decimal places kept: 2 = öre, 0 = whole kronor
	Even   bool   // half-even (banker's) when true, half away from zero otherwise
}

// roundingRules are the named rules a model file may use.
func roundingRule(name string) (Rounding, bool) {
	switch name {
	case "line-ore-half-even":
		return Rounding{Name: name, Places: 2, Even: true}, true
	case "line-ore-half-up":
		return Rounding{Name: name, Places: 2, Even: false}, true
	case "line-krona-half-even":
		return Rounding{Name: name, Places: 0, Even: true}, true
	case "line-krona-half-up":
		return Rounding{Name: name, Places: 0, Even: false}, true
	}
	return Rounding{}, false
}

// RoundingRules lists the rounding rule names a model file may use.
func RoundingRules() []string {
	return []string{"line-krona-half-even", "line-krona-half-up", "line-ore-half-even", "line-ore-half-up"}
}

// pow10 returns 10^n as a new integer (n ≥ 0): by multiplication in a
// uint64 up to 10^19 (every rounding rule's places), by Exp beyond.
func pow10(n int32) *big.Int {
	if n >= 0 && n <= 19 {
		p := uint64(1)
		for range n {
			p *= 10
		}
		return new(big.Int).SetUint64(p)
	}
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// Round rounds an exact rational amount to the rule's places.
func (r Rounding) Round(x *big.Rat) decimal.Decimal {
	// units = x × 10^places as a rational num/den; round it to an integer.
	num := new(big.Int).Mul(x.Num(), pow10(r.Places))
	den := x.Denom() // positive
	q, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	// rem has the sign of num; compare 2|rem| with den.
	twice := new(big.Int).Abs(rem)
	twice.Lsh(twice, 1)
	c := twice.Cmp(den)
	up := c > 0 || (c == 0 && (!r.Even || q.Bit(0) == 1))
	if up {
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return decimal.NewFromBigInt(q, -r.Places)
}

// RoundDecimal rounds a decimal with the rule.
func (r Rounding) RoundDecimal(d decimal.Decimal) decimal.Decimal {
	return r.Round(d.Rat())
}

// Format formats an amount that the rule has rounded, with exactly the
// rule's places ("1234.50", or "1235" for whole kronor).
func (r Rounding) Format(d decimal.Decimal) string { return d.StringFixed(r.Places) }

// Allocate shares total (already rounded by the rule) between parties in
// proportion to their non-negative weights, by the largest-remainder method
// in units of the rule's last place: every share is rounded toward zero, and
// the units left over go one each to the largest remainders, ties to the
// lower index. The shares sum exactly to total. When all weights are zero
// every share is zero (there is nobody to allocate to).
func (r Rounding) Allocate(total decimal.Decimal, weights []*big.Rat) []decimal.Decimal {
	out := make([]decimal.Decimal, len(weights))
	for i := range out {
		out[i] = decimal.Zero
	}
	w := new(big.Rat)
	for _, x := range weights {
		w.Add(w, x)
	}
	if w.Sign() <= 0 || total.IsZero() {
		return out
	}
	// total in units of the last place, as an integer (exact when total is
	// rounded by the rule; otherwise truncated toward zero first).
	tr := new(big.Rat).Mul(total.Abs().Rat(), new(big.Rat).SetInt(pow10(r.Places)))
	units := new(big.Int).Quo(tr.Num(), tr.Denom())
	type share struct {
		i    int
		frac *big.Rat
	}
	floors := make([]*big.Int, len(weights))
	shares := make([]share, len(weights))
	given := new(big.Int)
	for i, x := range weights {
		q := new(big.Rat).Mul(new(big.Rat).SetInt(units), x)
		q.Quo(q, w)
		fl, rm := new(big.Int).QuoRem(q.Num(), q.Denom(), new(big.Int))
		floors[i] = fl
		given.Add(given, fl)
		shares[i] = share{i: i, frac: new(big.Rat).SetFrac(rm, q.Denom())}
	}
	left := new(big.Int).Sub(units, given).Int64() // < len(weights)
	slices.SortStableFunc(shares, func(a, b share) int {
		if c := b.frac.Cmp(a.frac); c != 0 {
			return c
		}
		return a.i - b.i
	})
	for k := int64(0); k < left && int(k) < len(shares); k++ {
		floors[shares[k].i].Add(floors[shares[k].i], big.NewInt(1))
	}
	for i, fl := range floors {
		if total.IsNegative() {
			fl.Neg(fl)
		}
		out[i] = decimal.NewFromBigInt(fl, -r.Places)
	}
	return out
}

// rat returns d as an exact rational.
func rat(d decimal.Decimal) *big.Rat { return d.Rat() }

// ratInt returns n as a rational.
func ratInt(n int64) *big.Rat { return new(big.Rat).SetInt64(n) }

// mul returns the product of its arguments as a new rational.
func mul(xs ...*big.Rat) *big.Rat {
	out := big.NewRat(1, 1)
	for _, x := range xs {
		out.Mul(out, x)
	}
	return out
}

// quo returns a/b as a new rational; b must not be zero.
func quo(a, b *big.Rat) *big.Rat { return new(big.Rat).Quo(a, b) }

// ratDecimal formats an exact rational for display with at most places
// decimals (rounded half-even) and no trailing zeros.
func ratDecimal(x *big.Rat, places int32) decimal.Decimal {
	return Rounding{Places: places, Even: true}.Round(x)
}
