// Package xlsx writes payment statements and comparisons as Excel
// workbooks. It lives apart from package payment so that a program that
// prices (a service, the WebAssembly calculator) does not link the Excel
// library: only a program that imports payment/xlsx does.
//
// The writers hold no state and are safe for concurrent use. Amount cells
// hold the exact decimal text as an Excel number for display and sums,
// with the exact text beside them; text from the data or a model has
// personnummer-shaped runs masked and control characters replaced, as in
// every other writer.
package xlsx
