// Package csvtext makes text cells of the CSV files vardval writes safe to
// open in a spreadsheet. Only the project's own writers (payment
// statements, comparisons, measure tables) use it.
package csvtext
