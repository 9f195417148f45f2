/** How the report prints numbers and times. */
import { describe, expect, it } from 'vitest'
import { formatInt, formatLift, formatP, formatPercent, formatShare } from '../../../main/report/format.js'

describe('report number formats', () => {
  it('prints p- and q-values with two significant digits, powers of ten below 0.001', () => {
    expect(formatP(8.04e-67)).toBe('8.0 × 10⁻⁶⁷')
    expect(formatP(1.25e-10)).toBe('1.3 × 10⁻¹⁰')
    expect(formatP(0.000999)).toBe('1.0 × 10⁻³')
    expect(formatP(0.0321)).toBe('0.032')
    expect(formatP(0.5)).toBe('0.5')
    expect(formatP(1)).toBe('1')
    expect(formatP(0)).toBe('< 10⁻³⁰⁰')
    expect(formatP(null)).toBe('—')
  })

  it('prints lifts as multiples and rates as percent with 2 decimals', () => {
    expect(formatLift(4.7324)).toBe('4.73×')
    expect(formatLift(null)).toBe('—')
    expect(formatPercent(0.5234)).toBe('0.52%')
    expect(formatPercent(null)).toBe('—')
    expect(formatShare(240, 801)).toBe('29.96%')
    expect(formatShare(0, 0)).toBe('—')
  })

  it('groups digits in both languages', () => {
    expect(formatInt(19_822_000, 'en')).toBe('19,822,000')
    expect(formatInt(19_822_000, 'zh-TW')).toBe('19,822,000')
    expect(formatInt(null, 'en')).toBe('—')
  })
})
