package csvtext

// Text makes a text cell safe to open in a spreadsheet: a value that
// starts with =, +, -, @, a tab or a carriage return would be taken as a
// formula by Excel (CSV injection), so it gets a leading apostrophe, which
// spreadsheets show as text. Use it for text columns that come from input
// data or model files (ids, names, sources), never for number columns.
func Text(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
