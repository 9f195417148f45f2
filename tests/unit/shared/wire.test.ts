/** The browser host's socket frames: what each side builds, and what each side accepts as a frame. */
import { describe, expect, it } from 'vitest'
import { CHANNELS } from '../../../shared/api.js'
import {
  answerFrame,
  eventFrame,
  isAnswerFrame,
  isEventFrame,
  LONG_REQUEST_TIMEOUT_MS,
  parseHostFrame,
  parseRequestFrame,
  REQUEST_TIMEOUT_MS,
  requestFrame,
  requestTimeoutMsOf,
} from '../../../shared/wire.js'
import { jobView } from '../../fixtures/job-view.js'

describe('parseRequestFrame (host side)', () => {
  it('reads the id, channel and payload of a frame the page built, unchecked', () => {
    const text = JSON.stringify(requestFrame(7, 'jobs:status', { job_id: 'trace-evt-0123456789ab' }))
    expect(parseRequestFrame(text)).toEqual({ id: 7, channel: 'jobs:status', payload: { job_id: 'trace-evt-0123456789ab' } })
    // The channel and the payload are the router's to check.
    expect(parseRequestFrame('{"id":"a","channel":42}')).toEqual({ id: 'a', channel: 42, payload: undefined })
  })

  it('gives an id it cannot use as null, so the answer still reaches the page', () => {
    for (const id of [null, true, { n: 1 }, [1]]) {
      expect(parseRequestFrame(JSON.stringify({ id, channel: 'app:version', payload: {} }))?.id).toBeNull()
    }
    expect(parseRequestFrame('{"channel":"app:version"}')?.id).toBeNull()
  })

  it('refuses what is not a JSON object', () => {
    for (const text of ['', 'not json', '42', '"text"', 'null', '[]', '[{"id":1}]']) expect(parseRequestFrame(text), text).toBeNull()
  })
})

describe('parseHostFrame (page side)', () => {
  it('reads answer frames of either outcome', () => {
    const ok = answerFrame(3, { ok: true, value: { version: '1.2.3' } })
    const failed = answerFrame(null, { ok: false, error: { code: 'input/invalid', message: 'message: must be a JSON object' } })
    expect(parseHostFrame(JSON.stringify(ok))).toEqual(ok)
    expect(parseHostFrame(JSON.stringify(failed))).toEqual(failed)
    // An answer whose value is null is still an answer.
    expect(parseHostFrame('{"id":"x","result":{"ok":true,"value":null}}')).toEqual({ id: 'x', result: { ok: true, value: null } })
  })

  it('reads event frames of the contract’s events', () => {
    const status = eventFrame('jobs:did-change-status', { job: jobView() })
    expect(parseHostFrame(JSON.stringify(status))).toEqual(status)
    expect(isEventFrame({ event: 'jobs:did-progress', payload: { job_id: 'j', progress: { stage: 'seed', completed_stages: [] }, elapsed_ms: 1 } })).toBe(true)
  })

  it('refuses anything else', () => {
    for (const text of [
      'not json',
      '[]',
      '{}',
      '{"result":{"ok":true,"value":1}}',
      '{"id":1}',
      '{"id":1,"result":{"ok":true}}',
      '{"id":1,"result":{"ok":false,"error":{"code":"x"}}}',
      '{"id":1,"result":{"ok":"yes","value":1}}',
      '{"id":true,"result":{"ok":true,"value":1}}',
      '{"event":"jobs:anything","payload":{}}',
      '{"event":"jobs:did-progress"}',
      '{"event":"toString","payload":{}}',
    ]) {
      expect(parseHostFrame(text), text).toBeNull()
    }
    expect(isAnswerFrame(null)).toBe(false)
  })
})

describe('request time limits', () => {
  it('gives exports and imports minutes and every other channel the short limit', () => {
    expect(LONG_REQUEST_TIMEOUT_MS).toBeGreaterThanOrEqual(10 * 60_000)
    const long = CHANNELS.filter((channel) => requestTimeoutMsOf(channel) === LONG_REQUEST_TIMEOUT_MS)
    expect(long).toEqual(['jobs:export', 'jobs:import'])
    for (const channel of CHANNELS) if (!long.includes(channel)) expect(requestTimeoutMsOf(channel), channel).toBe(REQUEST_TIMEOUT_MS)
  })
})
