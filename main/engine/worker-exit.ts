/**
 * How a worker process's end is read, shared by both hosts so a crash, an OOM and a kill mean the
 * same thing under plain Node and under Electron.
 */
import { AppError } from '../../shared/errors.js'
import type { WorkerExit, WorkerExitReason } from './worker-host.js'

/** How much of a worker's stderr is kept: enough for V8's fatal-error banner and a stack trace. */
export const STDERR_TAIL_BYTES = 4096

/**
 * Text V8/Node print when the heap limit is hit ("FATAL ERROR: Reached heap limit Allocation
 * failed - JavaScript heap out of memory"). The wording varies a little across versions, hence
 * several markers.
 */
const HEAP_OOM_MARKERS = [/heap out of memory/i, /Allocation failed/i, /Reached heap limit/i]

/** True when a worker's stderr (or Electron's fatal-error location) says V8 ran out of heap. */
export function isHeapOutOfMemory(text: string): boolean {
  return HEAP_OOM_MARKERS.some((marker) => marker.test(text))
}

/**
 * Megabytes of each of the two semi-spaces of a worker's young generation (V8's default is 16 on
 * 64-bit machines). A trace keeps its bulk in the result file, so what is live is small, and the
 * young generation, once grown, was a fixed 32 MB of its memory. Measured at 120 000 lots
 * (docs/pushdown.md): pushdown peak RSS 184-198 → 150-152 MB, local 184-185 → 152-153 MB, wall
 * times within the runs' own spread (38.9-46.0 s against 43.5-46.3 s pushdown).
 */
export const WORKER_SEMI_SPACE_MB = 4

/**
 * `execArgv` that caps a worker's V8 heap: the old generation at `maxOldSpaceMb` (the worker memory
 * setting), the young generation at {@link WORKER_SEMI_SPACE_MB}. Only the command line sets them:
 * V8 sizes its heap when the process starts.
 */
export function heapLimitExecArgv(maxOldSpaceMb: number): string[] {
  if (!Number.isInteger(maxOldSpaceMb) || maxOldSpaceMb <= 0) {
    // A NaN or zero here would silently start a worker with no cap at all.
    throw new AppError('input/invalid', `maxOldSpaceMb: must be a positive integer, got ${String(maxOldSpaceMb)}`, {
      field: 'maxOldSpaceMb',
    })
  }
  return [`--max-old-space-size=${maxOldSpaceMb}`, `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`]
}

/** What a host knows when a worker process has ended. */
export interface WorkerExitFacts {
  code: number | null
  signal: string | null
  /** Set when main called `kill()`; the reason it gave. */
  killedBy: 'killed' | 'memory-limit' | undefined
  /** The worker reported `init-failed` before it ended. */
  initFailed: boolean
  stderrTail: string
  /** Extra text pointing at a fatal V8 error (Electron's `error` event), checked like stderr. */
  fatalErrorText?: string
  /**
   * The OOM banner was seen while stderr streamed in. V8 prints a native stack trace after it, so
   * a deep stack can push the banner out of the kept tail.
   */
  sawHeapOutOfMemory?: boolean
}

/**
 * Classifies a worker's end. Order matters:
 * 1. a V8 heap OOM wins over everything, because the process died of it whatever else happened;
 * 2. then main's own kill — under Electron there is no signal to tell a kill from a crash, and
 *    when a kill races a natural exit the worker is gone either way, as asked;
 * 3. then a worker that said `init-failed`;
 * 4. code 0 with no signal is a clean exit; anything else (non-zero code, a foreign signal such
 *    as `kill -9` from outside, SIGSEGV in a native module) is a crash.
 */
export function classifyWorkerExit(facts: WorkerExitFacts): WorkerExitReason {
  if (
    facts.sawHeapOutOfMemory === true ||
    isHeapOutOfMemory(facts.stderrTail) ||
    (facts.fatalErrorText !== undefined && isHeapOutOfMemory(facts.fatalErrorText))
  ) {
    return 'memory-limit'
  }
  if (facts.killedBy !== undefined) return facts.killedBy
  if (facts.initFailed) return 'init-failed'
  if (facts.code === 0 && facts.signal === null) return 'exited'
  return 'crashed'
}

/**
 * The error a job ends with when its worker process ended before reporting `done` or `error`.
 * For 'killed' the engine usually knows better (cancel → cancelled, timeout → `job/timeout`);
 * this answers `worker/crashed` for it only as a fallback.
 */
export function workerExitError(exit: WorkerExit): AppError {
  const how = describeExit(exit)
  const details = { reason: exit.reason, code: exit.code, signal: exit.signal, stderrTail: exit.stderrTail }
  if (exit.protocolViolation !== undefined) {
    return new AppError('worker/protocol', `The worker sent an unexpected message and was stopped (${exit.protocolViolation}).`, {
      ...details,
      violation: exit.protocolViolation,
    })
  }
  switch (exit.reason) {
    case 'memory-limit':
      return new AppError('worker/memory-limit', `The worker went over its memory limit and was stopped (${how}).`, details)
    case 'init-failed':
      return new AppError('worker/init-failed', `The worker could not start (${how}).`, details)
    case 'killed':
      return new AppError('worker/crashed', `The worker was stopped before it finished (${how}).`, details)
    case 'exited':
      return new AppError('worker/crashed', `The worker exited before it finished (${how}).`, details)
    case 'crashed':
      return new AppError('worker/crashed', `The worker process crashed (${how}).`, details)
  }
}

/** "exit code 3" / "signal SIGKILL", for messages. */
export function describeExit(exit: Pick<WorkerExit, 'code' | 'signal'>): string {
  if (exit.signal !== null) return `signal ${exit.signal}`
  return exit.code === null ? 'no exit code' : `exit code ${exit.code}`
}

/**
 * The last {@link STDERR_TAIL_BYTES} (at most) of a stream. Kept as raw bytes because chunks split
 * UTF-8 characters anywhere; the cut is moved forward to a character boundary so the text never
 * starts with garbage.
 */
export class StderrTail {
  readonly #limit: number
  #chunks: Buffer[] = []
  #length = 0

  constructor(limit = STDERR_TAIL_BYTES) {
    this.#limit = limit
  }

  push(chunk: Buffer | string): void {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    this.#chunks.push(buffer)
    this.#length += buffer.length
    // Compact only once we hold twice the limit, so a chatty worker costs O(1) amortized per write.
    if (this.#length > this.#limit * 2) this.#compact()
  }

  text(): string {
    this.#compact()
    return this.#chunks[0]?.toString('utf8') ?? ''
  }

  #compact(): void {
    const all = Buffer.concat(this.#chunks)
    let start = Math.max(0, all.length - this.#limit)
    // Skip UTF-8 continuation bytes (10xxxxxx) left over from a character cut in half.
    while (start > 0 && start < all.length && ((all[start] ?? 0) & 0xc0) === 0x80) start += 1
    const kept = all.subarray(start)
    this.#chunks = kept.length > 0 ? [Buffer.from(kept)] : []
    this.#length = kept.length
  }
}
