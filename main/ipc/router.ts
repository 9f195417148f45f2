/**
 * The one place a renderer call enters the main side, whatever the transport: the channel must be
 * one of the contract's, the caller within its rate limit, the payload valid for the channel's
 * schema; then the handler runs and its answer — or its error — comes back as a `Result`.
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
import type { z } from 'zod'

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
  /** Receives errors that are bugs (not AppErrors), for the log. */
  onUnexpectedError?: (error: unknown, channel: string) => void
}

export class ServiceRouter {
  /** Call times per `clientId\0channel`, oldest first (a sliding window). */
  private readonly calls = new Map<string, number[]>()
  private readonly now: () => number

  constructor(private readonly options: ServiceRouterOptions) {
    this.now = options.now ?? Date.now
  }

  /** Runs one call. Never throws: every failure is an `{ ok: false, error }` answer. */
  async invoke(channel: unknown, payload: unknown, context: CallContext): Promise<Result<unknown>> {
    try {
      if (!isChannel(channel)) {
        throw new AppError('input/invalid', `channel: unknown channel ${JSON.stringify(String(channel).slice(0, 60))}`, { field: 'channel' })
      }
      this.admit(channel, context.clientId)
      const request = parseRequest(channel, payload)
      const handler = this.options.handlers[channel] as (p: unknown, c: CallContext) => unknown
      return { ok: true, value: await handler(request, context) }
    } catch (error) {
      if (!(error instanceof AppError)) this.options.onUnexpectedError?.(error, String(channel))
      return { ok: false, error: toErrorData(error) }
    }
  }

  /** Forgets a caller's history (its window closed or its socket went away). */
  forget(clientId: string): void {
    for (const key of this.calls.keys()) if (key.startsWith(`${clientId}\u0000`)) this.calls.delete(key)
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
