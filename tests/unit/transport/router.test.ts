/**
 * The router's answers with fake handlers: an answer that cannot be encoded (150 000-deep nesting,
 * a BigInt, a cycle) or is over the size cap becomes an error answer on that call, in both the
 * value form (`invoke`, the desktop shell) and the JSON form (`invokeAsJson`, the browser host),
 * and the next call is answered as usual.
 */
import { describe, expect, it, vi } from 'vitest'
import { AppError } from '../../../shared/errors.js'
import { MAX_ANSWER_BYTES, ServiceRouter, type Handlers } from '../../../main/transport/index.js'

/** An array nested `depth` levels deep, built without recursion. */
function nested(depth: number): unknown[] {
  let value: unknown[] = []
  for (let i = 0; i < depth; i++) value = [value]
  return value
}

/** A router whose `app:version` answers what `answer` returns (whatever the contract says). */
function routerOf(answer: () => unknown, extra: { maxAnswerBytes?: number; onUnexpectedError?: (error: unknown, channel: string) => void } = {}) {
  const handlers = { 'app:version': answer, 'jobs:list': () => [{ jobId: 'j1' }] } as unknown as Handlers
  return new ServiceRouter({ handlers, ...extra })
}

const context = { clientId: 'test' }

describe('ServiceRouter', () => {
  describe('when an answer is nested 150 000 levels deep', () => {
    it('answers internal/unexpected, reports the RangeError, and answers the next call', async () => {
      const onUnexpectedError = vi.fn()
      const router = routerOf(() => nested(150_000), { onUnexpectedError })
      const answer = await router.invoke('app:version', {}, context)
      expect(answer).toEqual({ ok: false, error: { code: 'internal/unexpected', message: expect.stringContaining('nested too deeply') } })
      expect(onUnexpectedError).toHaveBeenCalledTimes(1)
      expect(onUnexpectedError.mock.calls[0]![0]).toBeInstanceOf(RangeError)
      expect(onUnexpectedError.mock.calls[0]![1]).toBe('app:version')
      expect(await router.invoke('jobs:list', {}, context)).toEqual({ ok: true, value: [{ jobId: 'j1' }] })
    })

    it('gives the JSON form of the error answer with the call’s id', async () => {
      const router = routerOf(() => nested(150_000))
      const text = await router.invokeAsJson(41, 'app:version', {}, context)
      expect(JSON.parse(text)).toEqual({ id: 41, result: { ok: false, error: { code: 'internal/unexpected', message: expect.any(String) } } })
      expect(JSON.parse(await router.invokeAsJson('next', 'jobs:list', {}, context))).toEqual({ id: 'next', result: { ok: true, value: [{ jobId: 'j1' }] } })
    })
  })

  describe('when an answer holds what JSON cannot carry', () => {
    const cyclic = (): unknown => {
      const node: Record<string, unknown> = { name: 'a' }
      node.self = node
      return node
    }
    const cases: [string, () => unknown][] = [
      ['a BigInt', () => ({ rows: 10n })],
      ['a cycle', cyclic],
      ['a toJSON that throws', () => ({ toJSON: () => { throw new Error('no') } })],
    ]
    for (const [what, answer] of cases) {
      it(`answers internal/unexpected for ${what}`, async () => {
        const router = routerOf(answer)
        const text = await router.invokeAsJson(7, 'app:version', {}, context)
        expect(JSON.parse(text)).toMatchObject({ id: 7, result: { ok: false, error: { code: 'internal/unexpected' } } })
        expect(await router.invoke('app:version', {}, context)).toMatchObject({ ok: false, error: { code: 'internal/unexpected' } })
      })
    }

    it('answers internal/unexpected for an AppError whose details hold a BigInt', async () => {
      const router = routerOf(() => {
        throw new AppError('input/invalid', 'x: bad', { field: 'x', got: 1n })
      })
      expect(JSON.parse(await router.invokeAsJson(1, 'app:version', {}, context))).toMatchObject({
        id: 1,
        result: { ok: false, error: { code: 'internal/unexpected' } },
      })
    })
  })

  describe('when an answer is over the size cap', () => {
    it('answers ipc/too-large with its size and the cap, counting UTF-8 bytes', async () => {
      // 400 characters of 3 bytes each: under a 1000-byte cap by characters, over it by bytes.
      const router = routerOf(() => ({ version: '€'.repeat(400) }), { maxAnswerBytes: 1000 })
      const answer = await router.invoke('app:version', {}, context)
      expect(answer).toEqual({
        ok: false,
        error: {
          code: 'ipc/too-large',
          message: expect.stringContaining('app:version'),
          details: { channel: 'app:version', bytes: JSON.stringify({ ok: true, value: { version: '€'.repeat(400) } }).length + 800, maxBytes: 1000 },
        },
      })
      const text = await router.invokeAsJson(3, 'app:version', {}, context)
      expect(JSON.parse(text)).toMatchObject({ id: 3, result: { ok: false, error: { code: 'ipc/too-large', details: { maxBytes: 1000 } } } })
    })

    it('sends an answer of exactly the cap', async () => {
      const envelope = (version: string): string => JSON.stringify({ id: 1, result: { ok: true, value: { version } } })
      const version = 'v'.repeat(1000 - envelope('').length)
      const router = routerOf(() => ({ version }), { maxAnswerBytes: 1000 })
      const text = await router.invokeAsJson(1, 'app:version', {}, context)
      expect(text.length).toBe(1000)
      expect(text).toBe(envelope(version))
    })

    it('defaults to 128 MiB', () => {
      expect(MAX_ANSWER_BYTES).toBe(128 * 1024 * 1024)
    })
  })

  describe('when nothing is wrong', () => {
    it('returns the handler’s own value and the JSON text of { id, result }', async () => {
      const value = { version: '3.2.1' }
      const router = routerOf(() => value)
      const answer = await router.invoke('app:version', {}, context)
      expect(answer).toEqual({ ok: true, value })
      expect(answer.ok && answer.value).toBe(value)
      expect(await router.invokeAsJson('a-1', 'app:version', {}, context)).toBe('{"id":"a-1","result":{"ok":true,"value":{"version":"3.2.1"}}}')
    })
  })

  describe('when a caller or a handler sends something hostile', () => {
    it('answers a channel that is an object with a throwing toString as input/invalid', async () => {
      const router = routerOf(() => ({ version: '1' }))
      // What JSON.parse makes of {"channel":{"toString":1}}: String() of it throws.
      const channel = JSON.parse('{"toString":1}') as unknown
      expect(() => String(channel)).toThrow(TypeError)
      expect(JSON.parse(await router.invokeAsJson(5, channel, {}, context))).toMatchObject({
        id: 5,
        result: { ok: false, error: { code: 'input/invalid', details: { field: 'channel' } } },
      })
    })

    it('answers a thrown value whose message cannot be read as internal/unexpected', async () => {
      const router = routerOf(() => {
        throw Object.create(null, { toString: { get: () => { throw new Error('unreadable') } } })
      })
      expect(await router.invoke('app:version', {}, context)).toEqual({
        ok: false,
        error: { code: 'internal/unexpected', message: 'The answer to this call could not be encoded and was not sent.' },
      })
    })

    it('still answers when the error log itself throws', async () => {
      const router = routerOf(() => nested(150_000), {
        onUnexpectedError: () => {
          throw new Error('log is gone')
        },
      })
      expect(await router.invoke('app:version', {}, context)).toMatchObject({ ok: false, error: { code: 'internal/unexpected' } })
    })
  })
})
