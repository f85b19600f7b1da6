// Package i18n puts vardval's generated texts into Swedish or English for
// the page and for `vardval … --lang sv`: statement line names (from the
// model file's name_sv and name_en), explanations, notes, assumptions and
// sources (the model file's assumption_sv, assumptions_sv and source_sv,
// through ModelTexts), the words around a statement (Words), intake
// reasons, file errors and reports (FileReason, Report), and the numbers
// inside them written the language's way (Swedish: 1 234 567,5; English:
// 1,234,567.5).
//
// The library packages (payment, measures, vardval) write their texts in
// English, and their goldens and JSON keep that English; this package
// translates a finished text. Swedish is a phrase table of the English
// the library writes, longest phrase first, so a sentence the table does
// not know stays English rather than wrong; a test prices every embedded
// model and requires the Swedish explanations to carry none of the
// table's English words.
//
// Numbers are recognised as whole tokens: digits with an optional decimal
// part, not part of a word, an identifier (components[0], hba1c, VC001), a
// date (2024-03-01) or a period (2024-03). Integer parts of five or more
// digits get the language's thousands separator (so years stay 2024) and
// the decimal point becomes a comma in Swedish. The page writes with
// PageNumbers: like its amounts, from four digits (a whole number
// 1900–2100, or an end of a range of years such as 1800–2200, is a year
// and stays as it is), and a negative number with the
// minus sign U+2212. The package has no state.
package i18n
