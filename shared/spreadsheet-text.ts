/**
 * Text that leaves the app for a spreadsheet (CSV files, rows copied to the clipboard) must stay
 * text. A cell starting with `=`, `+`, `-` or `@` is read by Excel, LibreOffice and Sheets as a
 * formula (a way to run commands through DDE or send data out with HYPERLINK), and a leading tab
 * or carriage return hides such a start. Values come from the MES and from result files mailed
 * around, so any of them may carry one: such a cell gets a leading apostrophe, which spreadsheets
 * take as "this is text" (OWASP's advice for CSV injection).
 */

/** Characters that make a spreadsheet treat a cell as a formula when they start it. */
const FORMULA_START = /^[=+\-@\t\r]/

/** `text`, with a leading apostrophe when a spreadsheet would read it as a formula. */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}
