package measures

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"math"
	"strconv"
	"strings"
)

// Plot geometry (pixels).
const (
	svgW, svgH              = 960.0, 620.0
	plotL, plotR            = 90.0, 700.0
	plotT, plotB            = 96.0, 540.0
	legendX                 = 720.0
	curveSteps              = 160
	colourWithin            = "#3b6ea5"
	colour95                = "#e08a00"
	colour998               = "#c0282d"
	colourRegion            = "#222222"
	colourLimit95           = "#7a7a7a"
	colourLimit998          = "#444444"
	svgFont                 = "font-family=\"Helvetica, Arial, sans-serif\""
	defaultDenominatorLabel = "Nämnare / Denominator"
)

// FunnelPlotError reports a funnel plot that cannot be drawn.
type FunnelPlotError struct {
	Measure string
	Reason  string
}

// Error names the measure and the reason.
func (e *FunnelPlotError) Error() string {
	return fmt.Sprintf("funnel plot %s: %s", safe(e.Measure), e.Reason)
}

// WriteFunnelSVG writes a standalone SVG funnel plot of one measure of the
// report: each unit that is not suppressed is a point (denominator on the
// x axis, value on the y axis), the region value is a horizontal line, and
// the 95 % and 99.8 % limits around it are curves (InflatedFunnelLimits
// with the region row's design effect and the measure's τ²; each unit's
// own flag uses its own design effect). A standardised rate is drawn as
// its ratio observed/expected (y) against the expected count (x) around
// 1, as its funnel marks are, with RatioFunnelLimits. Points are coloured by
// where they fall; units outside the 99.8 % limits are labelled with their
// id and every point carries a tooltip. Titles, axis labels and the legend
// are in Swedish and English. The bytes depend only on the report. Unit
// ids and the measure's id and names have personnummer-shaped runs masked
// and control characters replaced.
func WriteFunnelSVG(w io.Writer, rep *Report, measureID string) error {
	return WriteFunnelSVGWith(w, rep, measureID, FunnelSVGOptions{})
}

// FunnelSVGOptions change how WriteFunnelSVGWith draws a funnel plot; the
// zero value draws WriteFunnelSVG's plot, byte for byte.
type FunnelSVGOptions struct {
	// Lang "sv" or "en" writes every text in that language alone, with its
	// numbers written that language's way (Swedish: decimal comma, space
	// between thousands; English: decimal point, comma between
	// thousands); "" writes Swedish and English side by side.
	Lang string
	// Names are unit names by unit id: a point's tooltip starts with its
	// unit's name (personnummer shapes masked).
	Names map[string]string
	// LabelAll labels every point with its unit id, not only those outside
	// the 99.8 % limits, and makes each point a focusable image (tabindex,
	// role and aria-label) whose title shows on hover: for a plot placed
	// in a page rather than shown as an image.
	LabelAll bool
	// IDPrefix is put before the ids the plot defines, so that several
	// plots can share one page.
	IDPrefix string
}

// text returns sv, en or both ("sv / en") by o.Lang.
func (o FunnelSVGOptions) text(sv, en string) string {
	switch o.Lang {
	case "sv":
		return sv
	case "en":
		return en
	}
	return sv + " / " + en
}

// lines returns the Swedish (first) or English (second) part of a
// two-line legend text or of an "sv / en" label by o.Lang, or both.
func (o FunnelSVGOptions) lines(s string) string {
	sv, en, ok := strings.Cut(s, "\n")
	if !ok {
		sv, en, ok = strings.Cut(s, " / ")
	}
	if !ok {
		return s
	}
	return o.text(sv, en)
}

// number writes a number label (a point as the decimal separator, a
// space between thousands) the language's way: Swedish a decimal comma
// and a no-break space, English a comma between thousands.
func (o FunnelSVGOptions) number(s string) string {
	if o.Lang == "" {
		return s
	}
	digit := func(i int) bool { return i >= 0 && i < len(s) && s[i] >= '0' && s[i] <= '9' }
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' && digit(i-1) && digit(i+1) && o.Lang == "sv":
			b.WriteString("\u00a0")
		case c == ' ' && digit(i-1) && digit(i+1):
			b.WriteByte(',')
		case c == '.' && digit(i-1) && digit(i+1) && o.Lang == "sv":
			b.WriteByte(',')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// WriteFunnelSVGWith is WriteFunnelSVG drawn as o says.
func WriteFunnelSVGWith(w io.Writer, rep *Report, measureID string, o FunnelSVGOptions) error {
	m, ok := rep.Measure(measureID)
	if !ok {
		return &FunnelPlotError{Measure: measureID, Reason: "not in the report"}
	}
	d := &m.Definition
	type pt struct {
		x, y float64
		id   string
		pos  FunnelPosition
		lbl  string
	}
	var pts []pt
	suppressed := 0
	std := d.Kind == Rate && d.Standardise
	for _, row := range m.Rows[1:] {
		if row.Suppressed || row.Denominator.Sign() <= 0 {
			suppressed++
			continue
		}
		p := pt{x: row.Denominator.InexactFloat64(), y: row.Value.InexactFloat64(), id: safe(row.UnitID)}
		if row.Funnel != nil {
			p.pos = row.Funnel.Position
		}
		p.lbl = fmt.Sprintf("%s: %s (%s / %s)", p.id, o.number(formatValue(d, p.y)), o.number(row.Numerator.String()), o.number(row.Denominator.String()))
		if std {
			st := row.Standardised
			if st == nil || !(st.Expected > 0) {
				suppressed++
				continue
			}
			p.x, p.y = st.Expected, st.Ratio
			p.lbl = fmt.Sprintf("%s: O/E %s (%d / %s)", p.id, o.number(formatFloat(math.Round(st.Ratio*1000)/1000)), st.Observed, o.number(formatFloat(math.Round(st.Expected*10)/10)))
		}
		if name := o.Names[row.UnitID]; name != "" {
			p.lbl = safe(name) + " (" + p.lbl + ")"
		}
		pts = append(pts, p)
	}
	target := m.Target
	scale := float64(d.Scale)
	kind := funnelKind(d.Kind)
	if std && !math.IsNaN(target) {
		target, scale = 1, 1
	}
	// The curve is drawn with the region's design effect (1 for measures
	// that count persons): each unit's own mark uses its own.
	deff, tau2 := max(1, m.Rows[0].DesignEffect), 0.0
	if od := m.Overdispersion; od != nil && od.Tau2 > 0 {
		tau2 = od.Tau2
	}

	// Axis ranges.
	xMax := 0.0
	yMin, yMax := math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		xMax = math.Max(xMax, p.x)
		yMin, yMax = math.Min(yMin, p.y), math.Max(yMax, p.y)
	}
	if !math.IsNaN(target) {
		yMin, yMax = math.Min(yMin, target), math.Max(yMax, target)
	}
	if xMax <= 0 {
		xMax = 1
	}
	// The limits curve, from a small n to the widest unit.
	var curve []FunnelCurvePoint
	if !math.IsNaN(target) && xMax > 0 {
		minN := math.Max(xMax/200, 1e-9)
		if d.Kind == Proportion {
			minN = math.Max(minN, 1)
		}
		curve = FunnelCurve(target/scale, minN, math.Max(minN, xMax*1.05), curveSteps, kind, FunnelOptions{})
		for i := range curve {
			l := &curve[i].Limits
			if std {
				*l = RatioFunnelLimits(curve[i].N, deff, tau2)
			} else {
				*l = InflatedFunnelLimits(target/scale, curve[i].N, kind, deff, tau2)
			}
			*l = Limits{l.Lower95 * scale, l.Upper95 * scale, l.Lower998 * scale, l.Upper998 * scale}
		}
	}
	// The y range covers the points and the limits where the funnel has
	// narrowed to a quarter of the x range, so the plot is not all funnel.
	for _, c := range curve {
		if c.N >= xMax/4 && !math.IsNaN(c.Lower998) {
			yMin, yMax = math.Min(yMin, c.Lower998), math.Max(yMax, c.Upper998)
		}
	}
	if math.IsInf(yMin, 0) {
		yMin, yMax = 0, 1
	}
	if yMax-yMin < 1e-9 {
		yMin, yMax = yMin-0.5*math.Max(math.Abs(yMin), 1e-3), yMax+0.5*math.Max(math.Abs(yMax), 1e-3)
	}
	pad := (yMax - yMin) * 0.08
	yMin, yMax = yMin-pad, yMax+pad
	if d.Kind != Rate {
		yMin, yMax = math.Max(yMin, 0), math.Min(yMax, scale)
	} else {
		yMin = math.Max(yMin, 0)
	}
	yTicks := niceTicks(yMin, yMax, 6)
	yMin, yMax = math.Min(yMin, yTicks[0]), math.Max(yMax, yTicks[len(yTicks)-1])
	xTicks := niceTicks(0, xMax*1.05, 6)
	xHi := xTicks[len(xTicks)-1]

	sx := func(x float64) float64 { return plotL + (plotR-plotL)*x/xHi }
	sy := func(y float64) float64 { return plotB - (plotB-plotT)*(y-yMin)/(yMax-yMin) }
	f := func(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) }

	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" %s font-size="13">
`, f(svgW), f(svgH), f(svgW), f(svgH), svgFont)
	fmt.Fprintf(bw, "<title>%s</title>\n", esc(o.text(safe(d.NameSV), safe(d.NameEN))))
	bw.WriteString(`<rect x="0" y="0" width="960" height="620" fill="#ffffff"/>` + "\n")
	fmt.Fprintf(bw, `<defs><clipPath id="`+o.IDPrefix+`plot"><rect x="%s" y="%s" width="%s" height="%s"/></clipPath></defs>`+"\n",
		f(plotL), f(plotT), f(plotR-plotL), f(plotB-plotT))
	// Titles.
	switch o.Lang {
	case "":
		fmt.Fprintf(bw, `<text x="%s" y="30" font-size="18" font-weight="bold">%s</text>`+"\n", f(plotL), esc(safe(d.NameSV)))
		fmt.Fprintf(bw, `<text x="%s" y="52" font-size="15">%s</text>`+"\n", f(plotL), esc(safe(d.NameEN)))
	default:
		fmt.Fprintf(bw, `<text x="%s" y="40" font-size="18" font-weight="bold">%s</text>`+"\n", f(plotL), esc(o.text(safe(d.NameSV), safe(d.NameEN))))
	}
	sub := fmt.Sprintf("%s · %s..%s · %s", safe(d.ID), rep.Period.From, rep.Period.To, o.lines(directionText(d.Direction)))
	fmt.Fprintf(bw, `<text x="%s" y="74" font-size="12" fill="#555555">%s</text>`+"\n", f(plotL), esc(sub))
	// Grid and ticks.
	bw.WriteString(`<g stroke="#e6e6e6" stroke-width="1">` + "\n")
	for _, t := range yTicks {
		fmt.Fprintf(bw, `<line x1="%s" y1="%s" x2="%s" y2="%s"/>`+"\n", f(plotL), f(sy(t)), f(plotR), f(sy(t)))
	}
	for _, t := range xTicks {
		fmt.Fprintf(bw, `<line x1="%s" y1="%s" x2="%s" y2="%s"/>`+"\n", f(sx(t)), f(plotT), f(sx(t)), f(plotB))
	}
	bw.WriteString("</g>\n")
	fmt.Fprintf(bw, `<rect x="%s" y="%s" width="%s" height="%s" fill="none" stroke="#333333"/>`+"\n",
		f(plotL), f(plotT), f(plotR-plotL), f(plotB-plotT))
	bw.WriteString(`<g font-size="12" fill="#333333">` + "\n")
	for _, t := range yTicks {
		fmt.Fprintf(bw, `<text x="%s" y="%s" text-anchor="end">%s</text>`+"\n", f(plotL-8), f(sy(t)+4), esc(o.number(tickLabel(d, t, yTicks))))
	}
	for _, t := range xTicks {
		fmt.Fprintf(bw, `<text x="%s" y="%s" text-anchor="middle">%s</text>`+"\n", f(sx(t)), f(plotB+18), esc(o.number(numberLabel(t, xTicks))))
	}
	bw.WriteString("</g>\n")
	fmt.Fprintf(bw, `<text x="%s" y="%s" text-anchor="middle" font-size="13">%s</text>`+"\n",
		f((plotL+plotR)/2), f(plotB+44), esc(o.lines(xAxisLabel(d, std))))
	fmt.Fprintf(bw, `<text transform="translate(24 %s) rotate(-90)" text-anchor="middle" font-size="13">%s</text>`+"\n",
		f((plotT+plotB)/2), esc(o.lines(yAxisLabel(d, std))))

	// Limits, region line and points, clipped to the plot area.
	bw.WriteString(`<g clip-path="url(#` + o.IDPrefix + `plot)">` + "\n")
	path := func(get func(Limits) float64) string {
		var b strings.Builder
		for i, c := range curve {
			v := get(c.Limits)
			if math.IsNaN(v) {
				continue
			}
			// keep the path inside a sane band so clipping works everywhere
			y := math.Max(-2*svgH, math.Min(3*svgH, sy(v)))
			if i == 0 || b.Len() == 0 {
				b.WriteString("M")
			} else {
				b.WriteString(" L")
			}
			b.WriteString(f(sx(c.N)) + " " + f(y))
		}
		return b.String()
	}
	if len(curve) > 0 {
		for _, c := range []struct {
			get    func(Limits) float64
			colour string
			dash   string
		}{
			{func(l Limits) float64 { return l.Lower95 }, colourLimit95, ` stroke-dasharray="6 4"`},
			{func(l Limits) float64 { return l.Upper95 }, colourLimit95, ` stroke-dasharray="6 4"`},
			{func(l Limits) float64 { return l.Lower998 }, colourLimit998, ""},
			{func(l Limits) float64 { return l.Upper998 }, colourLimit998, ""},
		} {
			if p := path(c.get); p != "" {
				fmt.Fprintf(bw, `<path d="%s" fill="none" stroke="%s" stroke-width="1.5"%s/>`+"\n", p, c.colour, c.dash)
			}
		}
	}
	if !math.IsNaN(target) {
		fmt.Fprintf(bw, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2"/>`+"\n",
			f(plotL), f(sy(target)), f(plotR), f(sy(target)), colourRegion)
	}
	for _, p := range pts {
		colour := colourWithin
		switch p.pos {
		case Above95, Below95:
			colour = colour95
		case Above998, Below998:
			colour = colour998
		}
		if o.LabelAll {
			fmt.Fprintf(bw, `<g class="pt" tabindex="0" role="img" aria-label="%s"><title>%s</title><circle cx="%s" cy="%s" r="5" fill="%s" fill-opacity="0.85" stroke="#ffffff" stroke-width="1"/>`+
				`<text x="%s" y="%s" font-size="11" fill="%s">%s</text></g>`+"\n",
				esc(p.lbl), esc(p.lbl), f(sx(p.x)), f(sy(p.y)), colour, f(sx(p.x)+7), f(sy(p.y)-6), labelColour(colour), esc(p.id))
			continue
		}
		fmt.Fprintf(bw, `<circle cx="%s" cy="%s" r="5" fill="%s" fill-opacity="0.85" stroke="#ffffff" stroke-width="1"><title>%s</title></circle>`+"\n",
			f(sx(p.x)), f(sy(p.y)), colour, esc(p.lbl))
		if p.pos == Above998 || p.pos == Below998 {
			fmt.Fprintf(bw, `<text x="%s" y="%s" font-size="11" fill="%s">%s</text>`+"\n", f(sx(p.x)+7), f(sy(p.y)-6), colour998, esc(p.id))
		}
	}
	bw.WriteString("</g>\n")
	if !math.IsNaN(target) {
		fmt.Fprintf(bw, `<text x="%s" y="%s" font-size="11" text-anchor="end" fill="%s">%s</text>`+"\n",
			f(plotR-4), f(sy(target)-5), colourRegion, esc(o.text("Regionen", "Region")+": "+o.number(formatValue(d, target))))
	}

	// Legend.
	ly := plotT + 4
	fmt.Fprintf(bw, `<text x="%s" y="%s" font-weight="bold">%s</text>`+"\n", f(legendX), f(ly), o.text("Förklaring", "Legend"))
	ly += 24
	item := func(symbol, text string) {
		if o.Lang != "" {
			text = o.lines(text)
		}
		bw.WriteString(symbol)
		for i, line := range strings.Split(text, "\n") {
			fmt.Fprintf(bw, `<text x="%s" y="%s" font-size="12">%s</text>`+"\n", f(legendX+34), f(ly+4+float64(i)*15), esc(line))
		}
		ly += 18 + 15*float64(strings.Count(text, "\n")) + 8
	}
	dot := func(c string) string {
		return fmt.Sprintf(`<circle cx="%s" cy="%s" r="5" fill="%s"/>`+"\n", f(legendX+12), f(ly), c)
	}
	line := func(c, dash, width string) string {
		return fmt.Sprintf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"%s/>`+"\n",
			f(legendX), f(ly), f(legendX+26), f(ly), c, width, dash)
	}
	item(dot(colourWithin), "Enhet inom 95 %-gränserna\nUnit within the 95 % limits")
	item(dot(colour95), "Utanför 95 % (väntas för 1 av 20)\nOutside 95 % (expected 1 in 20)")
	item(dot(colour998), "Utanför 99,8 % (1 av 500)\nOutside 99.8 % (1 in 500)")
	item(line(colourRegion, "", "2"), "Regionens värde\nRegion value")
	item(line(colourLimit95, ` stroke-dasharray="6 4"`, "1.5"), "95 %-gränser\n95 % limits")
	item(line(colourLimit998, "", "1.5"), "99,8 %-gränser\n99.8 % limits")
	notes := []string{
		"Gränserna visar slumpens spelrum",
		"kring regionens värde vid varje",
		"storlek på nämnaren.",
		"Limits show the play of chance",
		"around the region value for each",
		"denominator size.",
	}
	switch o.Lang {
	case "sv":
		notes = notes[:3]
	case "en":
		notes = notes[3:]
	}
	if od := m.Overdispersion; od != nil && od.Tau2 > 0 {
		tau := "(τ² = " + o.number(strconv.FormatFloat(od.Tau2, 'g', 4, 64)) + ")"
		switch o.Lang {
		case "sv":
			notes = append(notes, "Överspridning inräknad", tau)
		case "en":
			notes = append(notes, "Overdispersion allowed for", tau)
		default:
			notes = append(notes, "Överspridning inräknad /", "overdispersion allowed for", tau)
		}
	}
	if suppressed > 0 {
		sv := fmt.Sprintf("%d enheter dolda (nämnare < %s)", suppressed, d.MinDenominator)
		en := fmt.Sprintf("%d units suppressed (n < %s)", suppressed, d.MinDenominator)
		switch o.Lang {
		case "sv":
			notes = append(notes, "", sv)
		case "en":
			notes = append(notes, "", en)
		default:
			notes = append(notes, "", sv, en)
		}
	}
	ly += 8
	for _, n := range notes {
		fmt.Fprintf(bw, `<text x="%s" y="%s" font-size="11" fill="#555555">%s</text>`+"\n", f(legendX), f(ly), esc(n))
		ly += 15
	}
	bw.WriteString("</svg>\n")
	return bw.Flush()
}

func esc(s string) string { return html.EscapeString(s) }

// labelColour is the colour of a point's id label: the point's own,
// darkened for the blue and orange points so the text reads on white.
func labelColour(point string) string {
	switch point {
	case colourWithin:
		return "#1f4e79"
	case colour95:
		return "#8a4b00"
	}
	return point
}

func directionText(d Direction) string {
	if d == LowerIsBetter {
		return "lägre är bättre / lower is better"
	}
	return "högre är bättre / higher is better"
}

func xAxisLabel(d *Definition, std bool) string {
	if std {
		return "Förväntat antal (ålder × kön) / Expected count (age × sex)"
	}
	switch d.Counts {
	case "persons":
		return "Antal personer i nämnaren / Persons in the denominator"
	case "contacts":
		return "Antal kontakter i nämnaren / Contacts in the denominator"
	case "visits":
		return "Läkarbesök hos patienter med minst två / Doctor visits of patients with two or more"
	case "visit_pairs":
		return "Par av läkarbesök (samma patient) / Ordered pairs of a patient's doctor visits"
	case "person-years":
		return "Listade personår / Listed person-years"
	}
	return defaultDenominatorLabel
}

func yAxisLabel(d *Definition, std bool) string {
	if std {
		return "Standardiserad kvot observerat/förväntat / Standardised ratio observed/expected"
	}
	switch d.Kind {
	case Rate:
		return fmt.Sprintf("Per %d listade och år / per %d listed person-years", d.Scale, d.Scale)
	}
	return "Andel / Share"
}

// formatValue formats a value for labels: shares as percentages.
func formatValue(d *Definition, v float64) string {
	switch d.Kind {
	case Proportion:
		v /= float64(d.Scale) // a share (÷ 1 is exact)
		return strconv.FormatFloat(math.Round(v*1000)/10, 'f', -1, 64) + " %"
	}
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

func tickLabel(d *Definition, v float64, ticks []float64) string {
	if d.Kind == Proportion {
		sc := float64(d.Scale) // ticks are on the Value scale; labels are percentages
		v /= sc
		step := 0.01
		if len(ticks) > 1 {
			step = (ticks[1] - ticks[0]) / sc
		}
		dec := max(0, int(math.Ceil(-math.Log10(step*100)-1e-9)))
		return strconv.FormatFloat(v*100, 'f', dec, 64) + " %"
	}
	return numberLabel(v, ticks)
}

func numberLabel(v float64, ticks []float64) string {
	step := 1.0
	if len(ticks) > 1 {
		step = ticks[1] - ticks[0]
	}
	dec := max(0, int(math.Ceil(-math.Log10(step)-1e-9)))
	s := strconv.FormatFloat(v, 'f', dec, 64)
	if dec == 0 && math.Abs(v) >= 10000 {
		// thin-space thousands separators for readability
		neg := strings.HasPrefix(s, "-")
		s = strings.TrimPrefix(s, "-")
		var b strings.Builder
		for i, r := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				b.WriteString(" ")
			}
			b.WriteRune(r)
		}
		s = b.String()
		if neg {
			s = "-" + s
		}
	}
	return s
}

// niceTicks returns about n round tick values covering [lo, hi].
func niceTicks(lo, hi float64, n int) []float64 {
	if !(hi > lo) {
		hi = lo + 1
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	start := math.Floor(lo/step+1e-9) * step
	var out []float64
	for v := start; v < hi+step*0.999; v += step {
		out = append(out, math.Round(v/step)*step)
		if len(out) > 50 {
			break
		}
	}
	if len(out) < 2 {
		out = append(out, start+step)
	}
	return out
}
