/**
 * The service contract over Electron IPC: one `ipcMain.handle` per channel of the contract, each
 * call checked for its sender frame (the app's own top-level page, nothing else) before the router
 * validates and runs it; pushed events go to the windows that subscribed. It does not import
 * Electron: it names the little it reads of `ipcMain`, of an invoke event and of a window's
 * WebContents in structural types of its own, which the shell (main/electron/) fills with the real
 * objects and tests with fakes under plain Node.
 *
 * The router checks every answer before it is returned here (it must encode and stay under the
 * answer cap), so what `ipcMain.handle` hands to Electron's structured clone is either the
 * handler's value or a small error answer, never a value the clone would choke on.
 */
import { CHANNELS, type EventName, type Events, type Result } from '../../shared/api.js'
import type { ServiceRouter } from './router.js'
import { onServiceEvent, type JobEvents } from './service-events.js'

/** Origin of the app's own pages (the custom protocol the shell registers). */
export const APP_ORIGIN = 'app://mes-trace'

/** The part of a sender frame the check reads (Electron's `WebFrameMain`). */
export interface SenderFrame {
  url: string
  parent: unknown
}

/** The part of an invoke event the transport reads (Electron's `IpcMainInvokeEvent`). */
export interface InvokeEvent {
  /** Null when the frame has navigated or been destroyed since it called. */
  senderFrame: SenderFrame | null
  sender: { id: number }
}

/** The part of `ipcMain` the transport uses. */
export interface IpcHandlers {
  handle(channel: string, listener: (event: InvokeEvent, payload: unknown) => Promise<Result<unknown>>): void
  removeHandler(channel: string): void
}

/** True for the app's own top-level page; subframes, other schemes and other hosts are refused. */
export function isAppFrame(frame: SenderFrame | null | undefined): boolean {
  if (!frame || frame.parent !== null) return false
  try {
    const url = new URL(frame.url)
    return url.protocol === 'app:' && url.host === 'mes-trace'
  } catch {
    return false
  }
}

const FORBIDDEN: Result<never> = {
  ok: false,
  error: { code: 'ipc/forbidden', message: 'This call did not come from the app’s own page and was refused.' },
}

export interface IpcTransportOptions {
  ipcMain: IpcHandlers
  router: ServiceRouter
  /** @default isAppFrame */
  isTrustedSender?: (frame: SenderFrame | null | undefined) => boolean
}

/** Registers every channel; returns a function that removes the handlers again. */
export function registerIpcTransport(options: IpcTransportOptions): () => void {
  const trusted = options.isTrustedSender ?? isAppFrame
  for (const channel of CHANNELS) {
    options.ipcMain.handle(channel, async (event, payload) => {
      if (!trusted(event.senderFrame)) return FORBIDDEN
      return options.router.invoke(channel, payload, { clientId: `wc-${event.sender.id}` })
    })
  }
  return () => {
    for (const channel of CHANNELS) options.ipcMain.removeHandler(channel)
  }
}

/** The part of a window's WebContents the fan-out uses. */
export interface EventTarget {
  readonly id: number
  send(channel: string, ...args: unknown[]): void
  isDestroyed(): boolean
  once(event: 'destroyed', listener: () => void): unknown
}

/** Pushes the contract's events to every subscribed window, and forgets windows that closed. */
export class EventFanout {
  private readonly targets = new Map<number, EventTarget>()
  private readonly stop: () => void

  constructor(events: JobEvents, private readonly onClientGone?: (clientId: string) => void) {
    this.stop = onServiceEvent(events, (event, payload) => this.send(event, payload))
  }

  subscribe(target: EventTarget): void {
    this.targets.set(target.id, target)
    target.once('destroyed', () => {
      this.targets.delete(target.id)
      this.onClientGone?.(`wc-${target.id}`)
    })
  }

  subscribers(): number {
    return this.targets.size
  }

  private send<E extends EventName>(event: E, payload: Events[E]): void {
    for (const target of this.targets.values()) if (!target.isDestroyed()) target.send(event, payload)
  }

  dispose(): void {
    this.stop()
    this.targets.clear()
  }
}
