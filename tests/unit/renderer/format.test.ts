/** Display helpers: one rate format everywhere, lifts as ratios. */
import { describe, expect, it } from 'vitest'
import { formatLift, formatRate, RATE_DECIMALS } from '../../../renderer/src/format'

describe('formatRate', () => {
  it('always shows the same decimals, so rates on screen line up', () => {
    expect(RATE_DECIMALS).toBe(2)
    expect([0.8, 0.8035, 93.4783, 0, 100].map((v) => formatRate(v, 'en'))).toEqual(['0.80 %', '0.80 %', '93.48 %', '0.00 %', '100.00 %'])
    expect(formatRate(12345.6, 'en')).toBe('12,345.60 %')
  })
  it('shows a dash without a value', () => {
    expect([null, undefined, Number.NaN].map((v) => formatRate(v, 'en'))).toEqual(['—', '—', '—'])
  })
})

describe('formatLift', () => {
  it('is a ratio with two decimals, a dash without a value', () => {
    expect(formatLift(3.4615, 'zh-TW')).toBe('×3.46')
    expect(formatLift(1, 'en')).toBe('×1.00')
    expect(formatLift(null, 'en')).toBe('—')
  })
})
