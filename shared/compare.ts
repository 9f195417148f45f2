/**
 * Orderings shared by every stage. Code-unit comparison, never `localeCompare`: the same input
 * must sort the same way on every workstation, whatever its language settings.
 */

/** Compares two strings by UTF-16 code units. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** True when the work order or the lot name starts with an order family prefix (GA, GC, GD), any case. */
export function hasOrderFamily(mfgOrder: string | null | undefined, name: string | null | undefined, prefix: 'GA' | 'GC' | 'GD'): boolean {
  return [mfgOrder, name].some((v) => typeof v === 'string' && v.toUpperCase().startsWith(prefix))
}
