import { describe, expect, it } from 'vitest'
import { isWorkerToMainMessage } from '../../../shared/worker-protocol.js'

const JOB = 'trace-evt-0123456789ab'

describe('isWorkerToMainMessage', () => {
  it('accepts a log entry at each level, with or without a detail', () => {
    for (const level of ['info', 'warn', 'error']) {
      expect(isWorkerToMainMessage({ type: 'log', jobId: JOB, level, message: 'DW_MES_WIP missing' }), level).toBe(true)
    }
    expect(isWorkerToMainMessage({ type: 'log', jobId: JOB, level: 'error', message: 'boom', detail: 'Error: boom\n    at x (y.js:1:1)' })).toBe(true)
  })

  it('refuses a log entry the engine could not keep', () => {
    const good = { type: 'log', jobId: JOB, level: 'warn', message: 'm' }
    expect(isWorkerToMainMessage({ ...good, level: 'debug' })).toBe(false)
    expect(isWorkerToMainMessage({ ...good, level: undefined })).toBe(false)
    expect(isWorkerToMainMessage({ ...good, message: 42 })).toBe(false)
    expect(isWorkerToMainMessage({ ...good, jobId: undefined })).toBe(false)
    expect(isWorkerToMainMessage({ ...good, detail: { stack: 'x' } })).toBe(false)
  })

  it('accepts the other message types and refuses anything else', () => {
    expect(isWorkerToMainMessage({ type: 'ready', pid: 1 })).toBe(true)
    expect(isWorkerToMainMessage({ type: 'error', jobId: JOB, error: { code: 'internal/unexpected', message: 'x' } })).toBe(true)
    expect(isWorkerToMainMessage({ type: 'stdout', jobId: JOB })).toBe(false)
    expect(isWorkerToMainMessage(null)).toBe(false)
    expect(isWorkerToMainMessage('log')).toBe(false)
  })
})
