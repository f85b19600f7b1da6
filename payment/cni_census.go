package payment

import (
	"math/big"

	"github.com/vardval/vardval/vardval"
)

// areaHasCNI reports whether area a of r has a CNI under m: its cni, or
// census shares m has weights for.
func areaHasCNI(m *Model, r *vardval.Region, a int32) bool {
	if a < 0 || int(a) >= len(r.Areas) {
		return false
	}
	x := &r.Areas[a]
	return x.HasCNI || x.HasCensus && m.CNI != nil && len(m.CNI.Weights) == vardval.NCensus
}

// areaCNIs returns each area's CNI in month ym in millionths (-1: none):
// its cni, else, when m gives census weights, CensusCNI of its shares.
func areaCNIs(m *Model, r *vardval.Region, ym vardval.YearMonth) ([]int64, error) {
	out := make([]int64, len(r.Areas))
	var ws []*big.Rat
	var ref *big.Rat
	if m.CNI != nil && len(m.CNI.Weights) == vardval.NCensus {
		for i := range m.CNI.Weights {
			v, ok := m.CNI.Weights[i].At(ym.First())
			if !ok {
				return nil, &RunError{Model: m.Name, Month: ym.String(), Path: m.CNI.Weights[i].Path, Reason: "no value in force"}
			}
			ws = append(ws, rat(v.Value))
		}
		v, ok := m.CNI.Reference.At(ym.First())
		if !ok || v.Value.Sign() <= 0 {
			return nil, &RunError{Model: m.Name, Month: ym.String(), Path: m.CNI.Reference.Path, Reason: "no positive value in force"}
		}
		ref = rat(v.Value)
	}
	for i := range r.Areas {
		a := &r.Areas[i]
		switch {
		case a.HasCNI:
			out[i] = int64(a.CNI)
		case a.HasCensus && ws != nil:
			out[i] = CensusCNI(a.Census, ws, ref)
		default:
			out[i] = -1
		}
	}
	return out, nil
}

// CensusCNI returns the Care Need Index of census shares (vardval.
// CensusVariables order, millionths) under weights and the reference
// population's weighted sum per person, in millionths: Σ weights[k] ×
// shares[k] ÷ reference, rounded half-even to 6 decimals (Sundquist et
// al. 2003; SCB's product: the index per person relative to the
// reference, which has CNI 1.00).
func CensusCNI(shares [vardval.NCensus]vardval.Fixed, weights []*big.Rat, reference *big.Rat) int64 {
	sum := new(big.Rat)
	for k, w := range weights {
		sum.Add(sum, mul(w, big.NewRat(int64(shares[k]), vardval.FixedScale)))
	}
	v := ratDecimal(quo(sum, reference), 6)
	return v.Shift(6).IntPart()
}
