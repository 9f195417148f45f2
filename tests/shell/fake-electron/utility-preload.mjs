/**
 * Loaded with `--import` into every child the fake `utilityProcess.fork` starts: builds
 * `process.parentPort` the way Electron's utility process has it, over two extra pipes
 * (fd 3: parent → child, fd 4: child → parent) carrying frames.mjs frames.
 *
 * Taken from Electron's docs:
 * - parent-port doc: "parentPort is an EventEmitter"; event 'message' gives a `messageEvent`
 *   `{ data, ports }`; "Messages received on this port will be queued up until a handler is
 *   registered for this event"; `parentPort.postMessage(message)` "Sends a message from the
 *   process to its parent".
 * - process doc (`process.parentPort`): set in a utility process, and the child is not a Node
 *   child process: it has no IPC channel, so `process.send` is undefined and `process` never
 *   emits 'message' (the fork uses no 'ipc' stdio entry). A worker that talks to main through
 *   `process.send` cannot work here, as it could not in Electron.
 * - utility-process doc: the child dies with the app. Here: when the parent's end of fd 3
 *   closes (the shell's process ended), the child exits.
 */
import { EventEmitter } from 'node:events'
import { writeSync } from 'node:fs'
import { Socket } from 'node:net'
import { encodeFrame, FrameDecoder } from './frames.mjs'

const FROM_PARENT_FD = 3
const TO_PARENT_FD = 4

/** Writes all of `frame` to the blocking pipe fd 4 (EAGAIN only if some code made it non-blocking). */
function writeAll(frame) {
  let offset = 0
  while (offset < frame.length) {
    try {
      offset += writeSync(TO_PARENT_FD, frame, offset)
    } catch (error) {
      if (error.code !== 'EAGAIN') throw error
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1)
    }
  }
}

class ParentPort extends EventEmitter {
  /** Messages that arrived before anyone listened to 'message'. */
  #queued = []
  #socket

  constructor(socket) {
    super()
    this.#socket = socket
    // Source (lib/utility/parent-port.ts): the port is started when the first 'message' listener
    // is added and paused when the last goes; a started port keeps the process alive, so a worker
    // with no listener ends when it runs out of work, exit code 0.
    this.on('newListener', (name) => {
      if (name !== 'message') return
      this.#socket.ref()
      // 'newListener' fires before the listener is added: hand over the queue right after.
      queueMicrotask(() => this.#drain())
    })
    this.on('removeListener', (name) => {
      if (name === 'message' && this.listenerCount('message') === 0) this.#socket.unref()
    })
  }

  /** Sends a message to the parent (structured clone; throws like a DataCloneError when it cannot). */
  postMessage(message) {
    // Synchronous, so a message posted right before process.exit() is not lost: Electron hands it
    // to Mojo synchronously too.
    writeAll(encodeFrame(message))
  }

  /** Called by the reader for every message from the parent. */
  deliver(data) {
    if (this.listenerCount('message') === 0) {
      this.#queued.push(data)
      return
    }
    this.emit('message', { data, ports: [] })
  }

  #drain() {
    while (this.#queued.length > 0 && this.listenerCount('message') > 0) {
      this.emit('message', { data: this.#queued.shift(), ports: [] })
    }
  }
}

const socket = new Socket({ fd: FROM_PARENT_FD, readable: true, writable: false })
const port = new ParentPort(socket)
const decoder = new FrameDecoder()
socket.on('data', (chunk) => {
  for (const value of decoder.push(chunk)) port.deliver(value)
})
// The parent (the app) is gone: a utility process does not outlive it.
socket.on('end', () => process.exit(1))
socket.on('error', () => process.exit(1))
// Nothing listens yet: the pipe alone must not keep an idle process alive.
socket.unref()

Object.defineProperty(process, 'parentPort', { value: port, enumerable: true, configurable: false, writable: false })
