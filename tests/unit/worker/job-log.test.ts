import { describe, expect, it } from 'vitest'
import { AppError, cancelledError } from '../../../shared/errors.js'
import { WORKER_LOG_DETAIL_MAX_CHARS, isWorkerToMainMessage, type WorkerToMainMessage } from '../../../shared/worker-protocol.js'
import { errorDetailOf, postJobError, postJobWarning } from '../../../main/worker/index.js'

const JOB = 'trace-evt-0123456789ab'

function recorder(): { posted: WorkerToMainMessage[]; postToMain: (message: WorkerToMainMessage) => void } {
  const posted: WorkerToMainMessage[] = []
  return { posted, postToMain: (message) => posted.push(message) }
}

/** A SQLite-like failure wrapped the way a source wraps it. */
function wrappedError(): { outer: AppError; inner: Error } {
  const inner = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' })
  const outer = new AppError('source/unreachable', 'The source plant.sqlite could not be read.', { path: 'plant.sqlite' }, { cause: inner })
  return { outer, inner }
}

describe('errorDetailOf', () => {
  it('holds the stack of the error and then the stack of its cause', () => {
    const { outer, inner } = wrappedError()
    const detail = errorDetailOf(outer)!
    expect(detail).toBe(`${outer.stack!}\nCaused by: ${inner.stack!}`)
    expect(detail.startsWith('AppError: The source plant.sqlite could not be read.\n')).toBe(true)
    expect(detail).toContain('\nCaused by: Error: database disk image is malformed\n')
  })

  it('follows a chain of causes, including ones that are not errors', () => {
    const root = new Error('ECONNRESET')
    const middle = new Error('batch 3 failed', { cause: root })
    const top = new Error('fetching history', { cause: middle })
    const lines = errorDetailOf(top)!.split('\n').filter((line) => line.startsWith('Caused by: '))
    expect(lines).toEqual(['Caused by: Error: batch 3 failed', 'Caused by: Error: ECONNRESET'])
    expect(errorDetailOf(new Error('outer', { cause: { errno: -104 } }))).toContain('\nCaused by: {"errno":-104}')
    expect(errorDetailOf(new Error('outer', { cause: 'plain text' }))).toContain('\nCaused by: plain text')
  })

  it('stops at a cause that loops back, and after eight causes', () => {
    const a = new Error('a')
    const b = new Error('b', { cause: a })
    a.cause = b
    const looped = errorDetailOf(a)!
    expect(looped.match(/^Caused by: /gm)).toHaveLength(2)
    expect(looped.endsWith('Caused by: (an earlier error of this chain again)')).toBe(true)

    let deep = new Error('cause 0')
    for (let i = 1; i <= 20; i += 1) deep = new Error(`cause ${i}`, { cause: deep })
    const cut = errorDetailOf(deep)!
    expect(cut.match(/^Caused by: Error: /gm)).toHaveLength(8)
    expect(cut.endsWith('Caused by: (more causes left out)')).toBe(true)
  })

  it('cuts the detail at the bound, marking the cut', () => {
    const error = new Error('long', { cause: new Error('x'.repeat(20_000)) })
    const detail = errorDetailOf(error)!
    expect(detail).toHaveLength(WORKER_LOG_DETAIL_MAX_CHARS)
    expect(detail.endsWith('…')).toBe(true)
    expect(errorDetailOf(error, 100)).toHaveLength(100)
  })

  it('has nothing to add for a thrown value that is not an error', () => {
    expect(errorDetailOf('just a string')).toBeUndefined()
    expect(errorDetailOf({ code: 'x' })).toBeUndefined()
  })
})

describe('postJobError', () => {
  it('logs the message with both stacks first, then reports the error without them', () => {
    const { outer, inner } = wrappedError()
    const port = recorder()
    postJobError(port, JOB, outer)
    expect(port.posted).toEqual([
      { type: 'log', jobId: JOB, level: 'error', message: 'The source plant.sqlite could not be read.', detail: `${outer.stack!}\nCaused by: ${inner.stack!}` },
      { type: 'error', jobId: JOB, error: { code: 'source/unreachable', message: 'The source plant.sqlite could not be read.', details: { path: 'plant.sqlite' } } },
    ])
    const [log, error] = port.posted
    expect((log as { detail: string }).detail).toContain(inner.stack!)
    expect(JSON.stringify(error)).not.toContain('Caused by')
    expect(JSON.stringify(error)).not.toContain(' at ')
    expect(port.posted.every(isWorkerToMainMessage)).toBe(true)
  })

  it('logs an unexpected error under its own message, its report coded internal/unexpected', () => {
    const thrown = new TypeError("Cannot read properties of undefined (reading 'rows')")
    const port = recorder()
    postJobError(port, JOB, thrown)
    expect(port.posted[0]).toEqual({ type: 'log', jobId: JOB, level: 'error', message: thrown.message, detail: thrown.stack })
    expect(port.posted[1]).toEqual({ type: 'error', jobId: JOB, error: { code: 'internal/unexpected', message: thrown.message } })
  })

  it('logs a cancellation as info, without a stack', () => {
    const port = recorder()
    postJobError(port, JOB, cancelledError())
    expect(port.posted).toEqual([
      { type: 'log', jobId: JOB, level: 'info', message: 'The trace was cancelled.' },
      { type: 'error', jobId: JOB, error: { code: 'trace/cancelled', message: 'The trace was cancelled.' } },
    ])
  })
})

describe('postJobWarning', () => {
  it('logs a warning that names what failed, with the stack in the detail', () => {
    const error = new Error('statement still busy')
    const port = recorder()
    postJobWarning(port, JOB, 'closing the source', error)
    expect(port.posted).toEqual([{ type: 'log', jobId: JOB, level: 'warn', message: 'closing the source: statement still busy', detail: error.stack }])
    postJobWarning(port, JOB, 'closing the source', 'gone')
    expect(port.posted[1]).toEqual({ type: 'log', jobId: JOB, level: 'warn', message: 'closing the source: gone' })
  })
})
