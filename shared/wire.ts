/**
 * The browser host's socket frames: what the page and the host send each other over the one
 * WebSocket (`/api`), as JSON text. The page sends a request frame per call; the host answers each
 * with an answer frame carrying the call's id, and pushes event frames to every page. Both ends
 * build and read frames only through this file, so the two sides cannot drift apart.
 *
 * The desktop app does not use frames: Electron IPC carries the channel, the payload and the
 * answer itself (shared/api.ts is the contract of both).
 */
import type { Channel, EventName, Events, RequestOf, Result } from './api.js'
import { EVENT_NAMES } from './api.js'

/** The id a page gives a call so its answer can be matched; null when a request's id could not be read. */
export type CallId = string | number | null

/** A call, page → host. */
export interface RequestFrame<C extends Channel = Channel> {
  id: number | string
  channel: C
  payload: RequestOf<C>
}

/**
 * A request frame as the host receives it: only its shape is known. The channel and payload are
 * checked by the router, which answers a bad one with an error on the same id.
 */
export interface ReceivedRequestFrame {
  /** Null when the frame had no usable id (its answer then carries `id: null`). */
  id: CallId
  channel: unknown
  payload: unknown
}

/** The answer to one call, host → page. */
export interface AnswerFrame<T = unknown> {
  id: CallId
  result: Result<T>
}

/** A pushed event, host → page. */
export interface EventFrame<E extends EventName = EventName> {
  event: E
  payload: Events[E]
}

/** Anything the host sends. */
export type HostFrame = AnswerFrame | EventFrame

/** The request frame of one call. */
export function requestFrame<C extends Channel>(id: number | string, channel: C, payload: RequestOf<C>): RequestFrame<C> {
  return { id, channel, payload }
}

/** The answer frame of one call. */
export function answerFrame<T>(id: CallId, result: Result<T>): AnswerFrame<T> {
  return { id, result }
}

/** The frame of one pushed event. */
export function eventFrame<E extends EventName>(event: E, payload: Events[E]): EventFrame<E> {
  return { event, payload }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * Reads a frame the page sent (host side): null when it is not a JSON object, so no id can be read
 * from it; otherwise its id (null unless a number or a string), channel and payload, unchecked.
 */
export function parseRequestFrame(text: string): ReceivedRequestFrame | null {
  const value = parseJson(text)
  if (!isObject(value)) return null
  const id = typeof value.id === 'number' || typeof value.id === 'string' ? value.id : null
  return { id, channel: value.channel, payload: value.payload }
}

/** Whether `value` has the shape of an answer frame: an id and an `{ ok: true, value }` or `{ ok: false, error }`. */
export function isAnswerFrame(value: unknown): value is AnswerFrame {
  if (!isObject(value) || !('id' in value) || !isObject(value.result)) return false
  const id = value.id
  if (id !== null && typeof id !== 'number' && typeof id !== 'string') return false
  const result = value.result
  if (result.ok === true) return 'value' in result
  return result.ok === false && isObject(result.error) && typeof result.error.code === 'string' && typeof result.error.message === 'string'
}

/** Whether `value` is an event frame of one of the contract's events. */
export function isEventFrame(value: unknown): value is EventFrame {
  return isObject(value) && typeof value.event === 'string' && (EVENT_NAMES as readonly string[]).includes(value.event) && isObject(value.payload)
}

/** Reads a frame the host sent (page side): null when it is neither an answer nor an event frame. */
export function parseHostFrame(text: string): HostFrame | null {
  const value = parseJson(text)
  return isEventFrame(value) || isAnswerFrame(value) ? value : null
}

/**
 * How long the page waits for an answer before it gives up on a call, in milliseconds. Every call
 * but an export or an import answers from the catalog or one page of a result file, well within a
 * minute even on a busy host; a host that has not answered by then is stuck or gone.
 */
export const REQUEST_TIMEOUT_MS = 60_000

/**
 * The wait for `jobs:export` and `jobs:import`: they write, or copy and check, a whole result file
 * (an XLSX of a million rows; a multi-gigabyte file checked in a worker under its own time limit,
 * about 100 s per GB), which takes minutes. A call given up on may still finish on the host; an
 * import then shows in the jobs list through its status event.
 */
export const LONG_REQUEST_TIMEOUT_MS = 30 * 60_000

/** Channels that wait longer than {@link REQUEST_TIMEOUT_MS}. */
export const REQUEST_TIMEOUTS: Readonly<Partial<Record<Channel, number>>> = {
  'jobs:export': LONG_REQUEST_TIMEOUT_MS,
  'jobs:import': LONG_REQUEST_TIMEOUT_MS,
}

/** How long a call of `channel` may wait for its answer, in milliseconds. */
export function requestTimeoutMsOf(channel: Channel): number {
  return REQUEST_TIMEOUTS[channel] ?? REQUEST_TIMEOUT_MS
}
