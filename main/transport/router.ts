/**
 * The one place a renderer call enters the main side, whatever the transport: the channel must be
 * one of the contract's, the caller within its rate limit, the payload valid for the channel's
 * schema; then the handler runs and its answer — or its error — comes back as a `Result`.
 *
 * Every answer is checked before it leaves: it must encode as JSON (the browser host's wire form;
 * the desktop shell's structured clone fails on the same deep nesting) and stay under
 * {@link MAX_ANSWER_BYTES}. An answer that does not is replaced by an error answer on the same
 * call, so one hostile result file or one buggy handler costs one call, never the process.
 */
import { AppError, toErrorData } from '../../shared/errors.js'
import {
  DEFAULT_RATE_LIMIT,
  isChannel,
  parseRequest,
  RATE_LIMITS,
  type REQUESTS,
  type Channel,
  type RateLimit,
  type Responses,
  type Result,
} from '../../shared/api.js'
import { answerFrame, type CallId } from '../../shared/wire.js'
import type { z } from 'zod'

/**
 * Largest answer one call may return: 128 MiB of JSON text (UTF-8 bytes). The largest answers the
 * app sends on purpose are whole lineages: `results:lineage` of an MSD trace over a 100 000-lot
 * demo plant (95 402 containers) is 44 MB of JSON. Pages are bounded by their row limit and by the
 * store's cut of long cells (`MAX_CELL_CHARS`). 128 MiB lets such lineages through about three
 * times over; an answer past it would cost the host several times its size in memory while it is
 * encoded and sent, and the page as much again to parse, so it is refused with `ipc/too-large`.
 * It is also well below the longest string V8 builds (about 512 MiB).
 */
export const MAX_ANSWER_BYTES = 128 * 1024 * 1024

/** Who is calling: a transport's id for one window or one socket (rate limits are per caller). */
export interface CallContext {
  clientId: string
}

/** The handler of each channel, given its validated payload. */
export type Handlers = {
  [C in Channel]: (payload: z.output<(typeof REQUESTS)[C]>, context: CallContext) => Responses[C] | Promise<Responses[C]>
}

export interface ServiceRouterOptions {
  handlers: Handlers
  /** @default Date.now */
  now?: () => number
  /** @default RATE_LIMITS and DEFAULT_RATE_LIMIT of the contract */
  limits?: Partial<Record<Channel, RateLimit>>
  /** Largest answer, in bytes of its JSON text; a larger one is answered with `ipc/too-large`. @default MAX_ANSWER_BYTES */
  maxAnswerBytes?: number
  /** Receives errors that are bugs (not AppErrors), for the log. */
  onUnexpectedError?: (error: unknown, channel: string) => void
}

/** An answer ready to leave: its JSON text, and the answer that text encodes. */
interface Encoded {
  text: string
  result: Result<unknown>
}

/** A channel name fit for a message or a log line, whatever a caller sent as one. */
function labelOf(channel: unknown): string {
  return typeof channel === 'string' ? channel.slice(0, 60) : `(${typeof channel})`
}

/** The last resort: an error answer built from constants, which always encodes. */
const UNENCODABLE_ERROR: Result<never> = {
  ok: false,
  error: { code: 'internal/unexpected', message: 'The answer to this call could not be encoded and was not sent.' },
}

export class ServiceRouter {
  /** Call times per `clientId\0channel`, oldest first (a sliding window). */
  private readonly calls = new Map<string, number[]>()
  private readonly now: () => number
  private readonly maxAnswerBytes: number

  constructor(private readonly options: ServiceRouterOptions) {
    this.now = options.now ?? Date.now
    this.maxAnswerBytes = options.maxAnswerBytes ?? MAX_ANSWER_BYTES
  }

  /**
   * Runs one call. Never throws: every failure — of the call, or of its answer (one that cannot be
   * encoded or is larger than the cap) — is an `{ ok: false, error }` answer. The answer returned
   * is the handler's own value, checked; a transport that sends JSON should use
   * {@link invokeAsJson}, which does not encode it twice.
   */
  async invoke(channel: unknown, payload: unknown, context: CallContext): Promise<Result<unknown>> {
    const result = await this.run(channel, payload, context)
    return this.encode(channel, result, (r) => r).result
  }

  /**
   * Runs one call and returns the JSON text of its answer frame (shared/wire.ts), ready to send.
   * Never throws; an answer that cannot be encoded or is too large becomes an error answer with the
   * same id.
   */
  async invokeAsJson(id: CallId, channel: unknown, payload: unknown, context: CallContext): Promise<string> {
    const result = await this.run(channel, payload, context)
    return this.encode(channel, result, (r) => answerFrame(id, r)).text
  }

  /** Forgets a caller's history (its window closed or its socket went away). */
  forget(clientId: string): void {
    for (const key of this.calls.keys()) if (key.startsWith(`${clientId}\u0000`)) this.calls.delete(key)
  }

  private async run(channel: unknown, payload: unknown, context: CallContext): Promise<Result<unknown>> {
    try {
      if (!isChannel(channel)) {
        throw new AppError('input/invalid', `channel: unknown channel ${JSON.stringify(labelOf(channel))}`, { field: 'channel' })
      }
      this.admit(channel, context.clientId)
      const request = parseRequest(channel, payload)
      const handler = this.options.handlers[channel] as (p: unknown, c: CallContext) => unknown
      return { ok: true, value: await handler(request, context) }
    } catch (error) {
      if (!(error instanceof AppError)) this.report(error, channel)
      try {
        return { ok: false, error: toErrorData(error) }
      } catch (unreadable) {
        // A thrown value whose message cannot even be read (a getter or `toString` that throws).
        this.report(unreadable, channel)
        return UNENCODABLE_ERROR
      }
    }
  }

  /**
   * Encodes `wrap(result)` as JSON and checks its size. An answer that cannot be encoded (nesting
   * deeper than the stack, a cycle, a BigInt, a `toJSON` that throws) becomes
   * `internal/unexpected`, one over the cap `ipc/too-large`; either way only this call fails.
   */
  private encode(channel: unknown, result: Result<unknown>, wrap: (result: Result<unknown>) => unknown): Encoded {
    let text: string
    try {
      text = JSON.stringify(wrap(result))
    } catch (error) {
      // Past the longest string V8 builds, the answer is simply too large, not a bug.
      if (error instanceof RangeError && /string length/i.test(error.message)) return this.fallback(this.tooLarge(channel, null), wrap)
      this.report(error, channel)
      const reason = error instanceof RangeError ? 'it is nested too deeply' : 'it holds a value JSON cannot carry'
      return this.fallback(
        { ok: false, error: { code: 'internal/unexpected', message: `The answer to ${labelOf(channel)} could not be encoded (${reason}) and was not sent.` } },
        wrap,
      )
    }
    const bytes = Buffer.byteLength(text)
    if (bytes > this.maxAnswerBytes) return this.fallback(this.tooLarge(channel, bytes), wrap)
    return { text, result }
  }

  /** `ipc/too-large` for an answer of `bytes` (null: too long to even encode). */
  private tooLarge(channel: unknown, bytes: number | null): Result<never> {
    const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`
    return {
      ok: false,
      error: {
        code: 'ipc/too-large',
        message:
          `The answer to ${labelOf(channel)} ${bytes === null ? 'is too large to encode' : `is ${mib(bytes)}`}, ` +
          `more than the ${mib(this.maxAnswerBytes)} one call may return; it was not sent.`,
        details: { channel: labelOf(channel), ...(bytes === null ? {} : { bytes }), maxBytes: this.maxAnswerBytes },
      },
    }
  }

  private fallback(result: Result<never>, wrap: (result: Result<unknown>) => unknown): Encoded {
    try {
      return { text: JSON.stringify(wrap(result)), result }
    } catch {
      return { text: JSON.stringify(wrap(UNENCODABLE_ERROR)), result: UNENCODABLE_ERROR }
    }
  }

  /** Hands a bug to the log; a log that fails must not turn one failed call into a crash. */
  private report(error: unknown, channel: unknown): void {
    try {
      this.options.onUnexpectedError?.(error, labelOf(channel))
    } catch {
      // Nothing more can be done for this error; the call is already answered with it.
    }
  }

  private admit(channel: Channel, clientId: string): void {
    const limit = this.options.limits?.[channel] ?? RATE_LIMITS[channel] ?? DEFAULT_RATE_LIMIT
    const key = `${clientId}\u0000${channel}`
    const now = this.now()
    const times = (this.calls.get(key) ?? []).filter((t) => t > now - limit.windowMs)
    if (times.length >= limit.max) {
      this.calls.set(key, times)
      throw new AppError('input/rate-limited', `Too many ${channel} calls: at most ${limit.max} per ${limit.windowMs / 1000} s. Try again in a moment.`, {
        channel,
        retryAfterMs: times[0]! + limit.windowMs - now,
      })
    }
    times.push(now)
    this.calls.set(key, times)
  }
}
