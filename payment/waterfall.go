package payment

import (
	"bufio"
	"fmt"
	"html"
	"io"

	"github.com/shopspring/decimal"
)

// WriteWaterfallSVG draws how model B's total differs from model A's, step
// by step per component, for one unit (unitID) or for the region (unitID
// ""): a bar for A's total, one floating bar per component difference
// (green up, red down) and a bar for B's total. Coordinates are computed
// with exact decimals and printed with two decimals, so the file is the
// same on every platform. Text from the data or the models (unit id and
// name, model names, component ids) has personnummer-shaped runs masked and
// control characters replaced.
func WriteWaterfallSVG(w io.Writer, c Comparison, unitID string) error {
	a, b, title := c.A, c.B, "Region"
	steps := map[string]decimal.Decimal{}
	var order []string
	found := unitID == ""
	for _, u := range c.Units {
		if unitID != "" && u.UnitID != unitID {
			continue
		}
		if unitID != "" {
			a, b, title, found = u.A, u.B, safe(u.Name)+" ("+safe(u.UnitID)+")", true
		}
		for _, s := range u.Steps {
			if _, ok := steps[s.Component]; !ok {
				order = append(order, s.Component)
			}
			steps[s.Component] = steps[s.Component].Add(s.Amount)
		}
	}
	if !found {
		return &UnknownUnitError{UnitID: unitID}
	}
	type bar struct {
		label    string
		from, to decimal.Decimal
		kind     string
	}
	bars := []bar{{safe(c.ModelA), decimal.Zero, a, "total"}}
	run := a
	for _, id := range order {
		d := steps[id]
		kind := "up"
		if d.IsNegative() {
			kind = "down"
		}
		bars = append(bars, bar{safe(id), run, run.Add(d), kind})
		run = run.Add(d)
	}
	bars = append(bars, bar{safe(c.ModelB), decimal.Zero, b, "total"})
	lo, hi := decimal.Zero, decimal.Zero
	for _, x := range bars {
		lo, hi = decimal.Min(lo, x.from, x.to), decimal.Max(hi, x.from, x.to)
	}
	if hi.Equal(lo) {
		hi = lo.Add(decimal.NewFromInt(1))
	}
	const height, top, plot, barW, gap = 360, 40, 260, 100, 20
	total := max(len(bars)*(barW+gap)+gap, 720)
	y := func(v decimal.Decimal) string {
		// top + plot × (hi − v) / (hi − lo)
		return decimal.NewFromInt(plot).Mul(hi.Sub(v)).DivRound(hi.Sub(lo), 2).Add(decimal.NewFromInt(top)).StringFixed(2)
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n", total, height, total, height)
	fmt.Fprintf(bw, `<title>%s: %s → %s</title>`+"\n", html.EscapeString(title), html.EscapeString(safe(c.ModelA)), html.EscapeString(safe(c.ModelB)))
	fmt.Fprintf(bw, `<text x="%d" y="20" font-size="14">%s: %s → %s, difference %s SEK</text>`+"\n", gap, html.EscapeString(title),
		html.EscapeString(safe(c.ModelA)), html.EscapeString(safe(c.ModelB)), b.Sub(a).StringFixed(c.Places))
	fmt.Fprintf(bw, `<line x1="0" x2="%d" y1="%s" y2="%s" stroke="#999"/>`+"\n", total, y(decimal.Zero), y(decimal.Zero))
	colour := map[string]string{"total": "#4a6fa5", "up": "#3a9a5b", "down": "#c0392b"}
	for i, x := range bars {
		left := gap + i*(barW+gap)
		y1, y2 := y(decimal.Max(x.from, x.to)), y(decimal.Min(x.from, x.to))
		h, _ := decimal.NewFromString(y2)
		t, _ := decimal.NewFromString(y1)
		amount := x.to.Sub(x.from)
		fmt.Fprintf(bw, `<rect x="%d" y="%s" width="%d" height="%s" fill="%s"><title>%s: %s SEK</title></rect>`+"\n",
			left, y1, barW, h.Sub(t).StringFixed(2), colour[x.kind], html.EscapeString(x.label), amount.StringFixed(c.Places))
		fmt.Fprintf(bw, `<text x="%d" y="%d" text-anchor="middle">%s</text>`+"\n", left+barW/2, top+plot+16, html.EscapeString(x.label))
		fmt.Fprintf(bw, `<text x="%d" y="%d" text-anchor="middle">%s</text>`+"\n", left+barW/2, top+plot+30, amount.StringFixed(0))
	}
	fmt.Fprintln(bw, `</svg>`)
	return bw.Flush()
}
