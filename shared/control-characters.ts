/**
 * Control characters in text that came from elsewhere (a result file, an MES column). Printed to
 * a terminal they are commands — clear the screen, retitle the window, plant a link — so text
 * for the app's own records must not hold them, and text shown on a terminal shows them as `�`.
 */

/* eslint-disable no-control-regex -- finding control characters is what these patterns are for */
/** C0 controls but tab and line feed, DEL, and the C1 controls. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/
/** Every C0 control (tab and line breaks included), DEL and the C1 controls. */
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f]/g
/* eslint-enable no-control-regex */

/** True when `text` holds a control character other than tab and line feed. */
export function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text)
}

/** `text` with every control character (tab and line breaks too) shown as `�`. */
export function showControlCharacters(text: string): string {
  return text.replace(ANY_CONTROL, '\ufffd')
}
