/** A scripted `Api` for renderer tests: answers per channel, records calls, pushes events. */
import type { Api, Channel, EventName, Events, RequestOf, Responses, Result } from '../../../shared/api'

type Handler<C extends Channel> = (payload: RequestOf<C>) => Responses[C] | Promise<Responses[C]>

export interface FakeApi extends Api {
  calls: { channel: Channel; payload: unknown }[]
  handle<C extends Channel>(channel: C, handler: Handler<C>): void
  fail(channel: Channel, code: string, message: string, details?: Record<string, unknown>): void
  emit<E extends EventName>(event: E, payload: Events[E]): void
}

export function fakeApi(): FakeApi {
  const handlers = new Map<Channel, (payload: unknown) => unknown>()
  const failures = new Map<Channel, Result<never>>()
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>()
  const calls: { channel: Channel; payload: unknown }[] = []
  return {
    calls,
    handle(channel, handler) {
      handlers.set(channel, handler as (payload: unknown) => unknown)
    },
    fail(channel, code, message, details) {
      failures.set(channel, { ok: false, error: { code: code as never, message, ...(details ? { details } : {}) } })
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(payload)
    },
    async invoke<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<Result<Responses[C]>> {
      calls.push({ channel, payload })
      const failure = failures.get(channel)
      if (failure) return failure
      const handler = handlers.get(channel)
      if (!handler) return { ok: false, error: { code: 'internal/unexpected', message: `no fake for ${channel}` } }
      return { ok: true, value: (await handler(payload)) as Responses[C] }
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      const set = listeners.get(event) ?? new Set()
      set.add(listener as (payload: unknown) => void)
      listeners.set(event, set)
      return () => set.delete(listener as (payload: unknown) => void)
    },
  }
}
