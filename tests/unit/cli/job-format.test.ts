import { describe, expect, it } from 'vitest'
import { expiryText, statusText } from '../../../main/cli/job-format.js'
import type { JobRow } from '../../../main/store/index.js'

function row(extra: Partial<JobRow>): JobRow {
  return { status: 'running', pinned: false, completed_at: null, expires_at: null, ...extra } as JobRow
}

describe('job status and expiry as a person reads them', () => {
  it('says a running job whose cancel is pending is cancelling, and nothing more of any other', () => {
    expect(statusText(row({ status: 'running', cancel_requested: true }))).toBe('running (cancelling)')
    expect(statusText(row({ status: 'running', cancel_requested: false }))).toBe('running')
    expect(statusText(row({ status: 'running' }))).toBe('running')
    expect(statusText(row({ status: 'cancelled', cancel_requested: true }))).toBe('cancelled')
    expect(statusText(row({ status: 'queued' }))).toBe('queued')
  })

  it('says when a job expires: pinned, not ended, never, expired, or the time', () => {
    const now = Date.UTC(2026, 10, 30, 12)
    expect(expiryText(row({ pinned: true, completed_at: 1, expires_at: null }), now)).toBe('pinned')
    expect(expiryText(row({ completed_at: null }), now)).toBe('-')
    expect(expiryText(row({ completed_at: 1, expires_at: null }), now)).toBe('never')
    expect(expiryText(row({ completed_at: 1, expires_at: now }), now)).toBe('expired')
    expect(expiryText(row({ completed_at: 1, expires_at: now + 60_000 }), now, false)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/)
  })
})
