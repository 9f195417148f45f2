import { describe, expect, it } from 'vitest'
import {
  STDERR_TAIL_BYTES,
  StderrTail,
  classifyWorkerExit,
  describeExit,
  heapLimitExecArgv,
  isHeapOutOfMemory,
  workerExitError,
  type WorkerExit,
  type WorkerExitFacts,
} from '../../../main/engine/index.js'

const V8_OOM = [
  '<--- Last few GCs --->',
  '[123:0x55]   812 ms: Mark-Compact 62.1 (66.5) -> 61.9 (66.8) MB',
  'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
].join('\n')

function facts(overrides: Partial<WorkerExitFacts>): WorkerExitFacts {
  return { code: 0, signal: null, killedBy: undefined, initFailed: false, stderrTail: '', ...overrides }
}

function exit(overrides: Partial<WorkerExit>): WorkerExit {
  return { code: 0, signal: null, reason: 'exited', stderrTail: '', ...overrides }
}

describe('classifyWorkerExit', () => {
  it('reads code 0 without a signal as a clean exit', () => {
    expect(classifyWorkerExit(facts({}))).toBe('exited')
  })

  it('reads a non-zero code as a crash', () => {
    expect(classifyWorkerExit(facts({ code: 3 }))).toBe('crashed')
  })

  it('reads a signal main did not send (kill -9 from outside) as a crash', () => {
    expect(classifyWorkerExit(facts({ code: null, signal: 'SIGKILL' }))).toBe('crashed')
  })

  it('reads main’s own kill as killed, with the reason main gave', () => {
    expect(classifyWorkerExit(facts({ code: null, signal: 'SIGKILL', killedBy: 'killed' }))).toBe('killed')
    expect(classifyWorkerExit(facts({ code: null, signal: 'SIGKILL', killedBy: 'memory-limit' }))).toBe('memory-limit')
  })

  it('reads V8’s heap OOM banner as memory-limit, whether SIGABRT or exit code 134', () => {
    expect(classifyWorkerExit(facts({ code: null, signal: 'SIGABRT', stderrTail: V8_OOM }))).toBe('memory-limit')
    expect(classifyWorkerExit(facts({ code: 134, stderrTail: V8_OOM }))).toBe('memory-limit')
    // Even when a kill raced the abort: the process died of the OOM.
    expect(classifyWorkerExit(facts({ code: 134, stderrTail: V8_OOM, killedBy: 'killed' }))).toBe('memory-limit')
  })

  it('does not call a plain abort (134 without the banner) an OOM', () => {
    expect(classifyWorkerExit(facts({ code: 134, stderrTail: 'Assertion failed: x' }))).toBe('crashed')
  })

  it('reads Electron’s out-of-band fatal error text like stderr', () => {
    expect(classifyWorkerExit(facts({ code: 5, fatalErrorText: 'FatalError at Reached heap limit' }))).toBe('memory-limit')
    expect(classifyWorkerExit(facts({ code: 5, fatalErrorText: 'FatalError at v8::ToLocalChecked Empty MaybeLocal' }))).toBe('crashed')
  })

  it('reads an exit after init-failed as init-failed', () => {
    expect(classifyWorkerExit(facts({ code: 1, initFailed: true }))).toBe('init-failed')
  })
})

describe('isHeapOutOfMemory', () => {
  it('recognises the wordings of V8 and Node', () => {
    expect(isHeapOutOfMemory('FATAL ERROR: CALL_AND_RETRY_LAST Allocation failed - JavaScript heap out of memory')).toBe(true)
    expect(isHeapOutOfMemory('Fatal JavaScript out of memory: Reached heap limit')).toBe(true)
    expect(isHeapOutOfMemory('Error: ENOENT: no such file')).toBe(false)
  })
})

describe('workerExitError', () => {
  it('gives each way of ending its own code and says how it ended', () => {
    const crashed = workerExitError(exit({ code: 3, reason: 'crashed', stderrTail: 'boom' }))
    expect(crashed.code).toBe('worker/crashed')
    expect(crashed.message).toContain('exit code 3')
    expect(crashed.details).toMatchObject({ reason: 'crashed', code: 3, stderrTail: 'boom' })
    expect(workerExitError(exit({ code: null, signal: 'SIGABRT', reason: 'memory-limit' })).code).toBe('worker/memory-limit')
    expect(workerExitError(exit({ code: 1, reason: 'init-failed' })).code).toBe('worker/init-failed')
    expect(workerExitError(exit({ code: 0, reason: 'exited' })).message).toContain('exited before it finished')
  })

  it('answers worker/protocol for a worker killed for a bad message', () => {
    const error = workerExitError(exit({ code: null, signal: 'SIGKILL', reason: 'crashed', protocolViolation: 'unknown message type "rows"' }))
    expect(error.code).toBe('worker/protocol')
    expect(error.details).toMatchObject({ violation: 'unknown message type "rows"' })
  })
})

describe('describeExit', () => {
  it('prefers the signal over the code', () => {
    expect(describeExit({ code: null, signal: 'SIGKILL' })).toBe('signal SIGKILL')
    expect(describeExit({ code: 2, signal: null })).toBe('exit code 2')
    expect(describeExit({ code: null, signal: null })).toBe('no exit code')
  })
})

describe('heapLimitExecArgv', () => {
  it('builds the V8 flags: the old generation at the setting, the young generation small', () => {
    expect(heapLimitExecArgv(3072)).toEqual(['--max-old-space-size=3072', '--max-semi-space-size=4'])
  })

  it('refuses a value that would start a worker without a cap', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => heapLimitExecArgv(bad)).toThrow(expect.objectContaining({ code: 'input/invalid' }))
    }
  })
})

describe('StderrTail', () => {
  it('keeps everything while under the limit', () => {
    const tail = new StderrTail()
    tail.push('first\n')
    tail.push(Buffer.from('second\n'))
    expect(tail.text()).toBe('first\nsecond\n')
  })

  it('keeps only the last STDERR_TAIL_BYTES of a long stream', () => {
    const tail = new StderrTail()
    for (let i = 0; i < 1000; i++) tail.push(`line ${String(i).padStart(4, '0')}\n`)
    const text = tail.text()
    expect(Buffer.byteLength(text)).toBe(STDERR_TAIL_BYTES)
    expect(text.endsWith('line 0999\n')).toBe(true)
    expect(text).not.toContain('line 0000')
  })

  it('starts the kept text at a character boundary when the cut splits a multi-byte character', () => {
    const tail = new StderrTail(3)
    tail.push('ab測') // bytes 61 62 E6 B8 AC: the last 3 would start inside 測
    tail.push('c')
    expect(tail.text()).toBe('c')
    const wide = new StderrTail(4)
    wide.push('ab測c')
    expect(wide.text()).toBe('測c')
  })
})
