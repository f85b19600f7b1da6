package i18n

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Lang is a language of vardval's texts.
type Lang string

// The languages.
const (
	English Lang = "en"
	Swedish Lang = "sv"
)

// LangError reports a language that is neither sv nor en.
type LangError struct{ Value string }

// Error names the value.
func (e *LangError) Error() string {
	return fmt.Sprintf("language %q: want sv or en", e.Value)
}

// Parse reads "sv" or "en" ("" is English).
func Parse(s string) (Lang, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "en":
		return English, nil
	case "sv":
		return Swedish, nil
	}
	return English, &LangError{Value: s}
}

// Pick returns sv in Swedish and en otherwise; an empty choice falls back
// to def.
func (l Lang) Pick(sv, en, def string) string {
	if l == Swedish {
		return cmp.Or(sv, def)
	}
	return cmp.Or(en, def)
}

const nbsp = "\u00a0"

// Number writes a plain decimal ("-1234567.50", as the library writes
// numbers) the language's way; anything else is returned as it is.
func Number(s string, l Lang) string {
	return number(s, l, false)
}

// PageNumber is Number as the page writes amounts: integer parts of four
// or more digits grouped (a whole number 1900–2100, a year, is not) and a
// minus sign (U+2212) for a negative number.
func PageNumber(s string, l Lang) string {
	return number(s, l, true)
}

func number(s string, l Lang, page bool) string {
	neg := strings.HasPrefix(s, "-")
	body := strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(body, ".")
	if intPart == "" || !allDigits(intPart) || (hasFrac && (frac == "" || !allDigits(frac))) {
		return s
	}
	min := 5
	if page && !(len(intPart) == 4 && !hasFrac && intPart >= "1900" && intPart <= "2100") {
		min = 4
	}
	return sign(neg, page) + group(intPart, l, min) + decimals(frac, hasFrac, l)
}

func sign(neg, page bool) string {
	switch {
	case neg && page:
		return "\u2212"
	case neg:
		return "-"
	}
	return ""
}

func decimals(frac string, has bool, l Lang) string {
	if !has {
		return ""
	}
	if l == Swedish {
		return "," + frac
	}
	return "." + frac
}

// group puts the thousands separator into an integer part of min or
// more digits.
func group(d string, l Lang, min int) string {
	if len(d) < min {
		return d
	}
	sep := ","
	if l == Swedish {
		sep = nbsp
	}
	var b strings.Builder
	for i := range len(d) {
		if i > 0 && (len(d)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteByte(d[i])
	}
	return b.String()
}

func allDigits(s string) bool {
	for i := range len(s) {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isWord(c byte) bool {
	return isDigit(c) || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// Numbers writes every number token of a sentence the language's way
// (see the package documentation for what is a number).
func Numbers(s string, l Lang) string {
	return numbers(s, l, false)
}

// PageNumbers is Numbers as the page writes amounts (see PageNumber): the
// numbers of explanations, notes and messages grouped like the page's
// amounts, and a minus sign standing before a number (not inside a date,
// range or identifier) written as U+2212, as the page writes negative
// amounts. Years, dates, ids, codes and key paths are left alone as by
// Numbers.
func PageNumbers(s string, l Lang) string {
	return numbers(s, l, true)
}

func numbers(s string, l Lang, page bool) string {
	var b strings.Builder
	i := 0
	for i < len(s) {
		c := s[i]
		if !isDigit(c) || (i > 0 && (isWord(s[i-1]) || s[i-1] == '.' || s[i-1] == '[' || s[i-1] == '-' && i > 1 && (isWord(s[i-2]) || s[i-2] == '-'))) {
			// not the start of a number: copy the whole word
			j := i + 1
			for j < len(s) && isWord(s[j]) {
				j++
			}
			if !isDigit(c) {
				j = i + 1
			}
			b.WriteString(s[i:j])
			i = j
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		end := j
		if j+1 < len(s) && s[j] == '.' && isDigit(s[j+1]) {
			end = j + 1
			for end < len(s) && isDigit(s[end]) {
				end++
			}
		}
		// A date, a month, an identifier or a version is left alone.
		if end < len(s) && (isWord(s[end]) || s[end] == '-' && end+1 < len(s) && isDigit(s[end+1]) || s[end] == '.' && end+1 < len(s) && isDigit(s[end+1]) || s[end] == ']') {
			k := end
			for k < len(s) && (isWord(s[k]) || s[k] == '-' || s[k] == '.' && k+1 < len(s) && isDigit(s[k+1])) {
				k++
			}
			b.WriteString(s[i:k])
			i = k
			continue
		}
		if page && i > 0 && s[i-1] == '-' && (i == 1 || !isWord(s[i-2]) && s[i-2] != '-' && s[i-2] != '.') {
			// A minus sign before the number: the page's minus.
			str := b.String()
			b.Reset()
			b.WriteString(str[:len(str)-1])
			b.WriteString("\u2212")
		}
		if page && yearRange(s, i, end) {
			b.WriteString(s[i:end])
		} else {
			b.WriteString(number(s[i:end], l, page))
		}
		i = end
	}
	return b.String()
}

// Text is a sentence the library wrote in English, in l: in Swedish
// through the phrase table, and its numbers written the language's way.
func Text(s string, l Lang) string {
	if l == Swedish {
		s = swedish.replace(s)
	}
	return Numbers(s, l)
}

// yearRange reports whether s[i:end], four digits 1800–2200, is an end of
// a range of years ("1800–2200"): a year, not an amount.
func yearRange(s string, i, end int) bool {
	y := s[i:end]
	if len(y) != 4 || y < "1800" || y > "2200" {
		return false
	}
	const dash = "–"
	return strings.HasPrefix(s[end:], dash) && len(s) >= end+len(dash)+4 && allDigits(s[end+len(dash):end+len(dash)+4]) ||
		strings.HasSuffix(s[:i], dash) && i >= len(dash)+4 && allDigits(s[i-len(dash)-4:i-len(dash)])
}

// PageText is Text with the numbers written as the page writes amounts
// (PageNumbers); the CLI keeps Text.
func PageText(s string, l Lang) string {
	if l == Swedish {
		s = swedish.replace(s)
	}
	return PageNumbers(s, l)
}

// phrases is a replacement table applied longest phrase first, each
// phrase everywhere it stands as whole words (a phrase that starts or
// ends with a letter or digit is not replaced inside a longer word or an
// identifier such as coverage_own_unit).
type phrases struct {
	pairs [][2]string
}

func newPhrases(pairs [][2]string) phrases {
	p := slices.Clone(pairs)
	slices.SortStableFunc(p, func(a, b [2]string) int { return cmp.Compare(len(b[0]), len(a[0])) })
	return phrases{pairs: p}
}

func (p phrases) replace(s string) string {
	for _, x := range p.pairs {
		s = replaceWords(s, x[0], x[1])
	}
	return s
}

// replaceWords replaces old by repl in s where old stands as whole words.
func replaceWords(s, old, repl string) string {
	if old == "" || !strings.Contains(s, old) {
		return s
	}
	var b strings.Builder
	i := 0
	for {
		j := strings.Index(s[i:], old)
		if j < 0 {
			break
		}
		j += i
		end := j + len(old)
		if wordAt(old, 0) && wordBefore(s, j) || wordAt(old, len(old)-1) && wordAfter(s, end) || inFileName(s, j, end) {
			b.WriteString(s[i : j+1])
			i = j + 1
			continue
		}
		b.WriteString(s[i:j])
		b.WriteString(repl)
		i = end
	}
	b.WriteString(s[i:])
	return b.String()
}

// inFileName reports whether s[j:end] is part of a file name such as
// contacts.csv: it ends just before a dot followed by a letter, or starts
// just after a letter followed by a dot. A file name is never translated.
func inFileName(s string, j, end int) bool {
	if end+1 < len(s) && s[end] == '.' && wordAfter(s, end+1) && !isDigit(s[end+1]) {
		return true
	}
	return j >= 2 && s[j-1] == '.' && wordBefore(s, j-1) && wordAfter(s, j) && !isDigit(s[j])
}

func isWordRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// wordAt reports whether the byte at i of s begins or ends a word
// character (ASCII: the phrases' own ends are ASCII or letters).
func wordAt(s string, i int) bool {
	if i == 0 {
		r, _ := utf8.DecodeRuneInString(s)
		return isWordRune(r)
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return isWordRune(r)
}

func wordBefore(s string, i int) bool {
	if i == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return isWordRune(r)
}

func wordAfter(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return isWordRune(r)
}
