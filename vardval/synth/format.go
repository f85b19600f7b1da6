package synth

import "math"

// Day numbers count days since 1970-01-01 (day 0), in the proleptic
// Gregorian calendar. The conversions follow H. Hinnant's public-domain
// "chrono-compatible low-level date algorithms".

// dayNumber returns the day number of year-month-day.
func dayNumber(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civil returns the year, month and day of day number n.
func civil(n int) (y, m, d int) {
	n += 719468
	era := n / 146097
	if n < 0 && n%146097 != 0 {
		era--
	}
	doe := n - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysInYear(y int) int {
	if isLeap(y) {
		return 366
	}
	return 365
}

// appendDate appends day number n as YYYY-MM-DD.
func appendDate(b []byte, n int) []byte {
	y, m, d := civil(n)
	return append(b,
		byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-',
		byte('0'+d/10), byte('0'+d%10))
}

// appendPadded appends v in decimal with at least width digits.
func appendPadded(b []byte, v uint64, width int) []byte {
	var tmp [20]byte
	i := len(tmp)
	for v > 0 || len(tmp)-i < width {
		i--
		tmp[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, tmp[i:]...)
}

// appendInt appends v in decimal.
func appendInt(b []byte, v int) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	return appendPadded(b, uint64(v), 1)
}

// appendScaled appends v/10^dec with the decimals it needs (no trailing
// zeros, no decimal point for whole numbers): 12500,4 → "1.25".
func appendScaled(b []byte, v int, dec int) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	p := 1
	for range dec {
		p *= 10
	}
	b = appendPadded(b, uint64(v/p), 1)
	f := v % p
	if f == 0 {
		return b
	}
	for f%10 == 0 {
		f /= 10
		dec--
	}
	b = append(b, '.')
	return appendPadded(b, uint64(f), dec)
}

// dexp is a platform-independent exp for |x| ≲ 700: 2^k · e^r with
// |r| ≤ ln2/2 and a degree-11 Taylor polynomial. Each product is converted
// explicitly so that no compiler may fuse it into an FMA (Go spec,
// "Floating-point operators"): the result is the same on every GOARCH.
func dexp(x float64) float64 {
	const ln2 = 0.6931471805599453
	k := math.Floor(float64(x/ln2) + 0.5)
	r := x - float64(k*ln2)
	// Horner form of Σ r^i/i!, i ≤ 11.
	p := 1.0 / 39916800
	for _, c := range [...]float64{1.0 / 3628800, 1.0 / 362880, 1.0 / 40320, 1.0 / 5040, 1.0 / 720,
		1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5, 1, 1} {
		p = float64(p*r) + c
	}
	return math.Ldexp(p, int(k))
}
