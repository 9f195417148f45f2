/**
 * The wire format between the fake `UtilityProcess` (in the shell's process) and
 * `process.parentPort` (in the child): length-prefixed `v8.serialize` frames, so messages go
 * through the structured clone algorithm both ways as Electron's do (utility-process doc:
 * `child.postMessage(message)` / `parentPort.postMessage(message)`, "message any", cloned like
 * `MessagePortMain` messages). A function or a symbol in a message throws at the sender, as a
 * DataCloneError does in Electron.
 */
import { deserialize, serialize } from 'node:v8'

/** Bytes of the big-endian length prefix. */
const LENGTH_BYTES = 4

/** One frame for `value`; throws when `value` cannot be cloned. */
export function encodeFrame(value) {
  const body = serialize(value)
  const frame = Buffer.allocUnsafe(LENGTH_BYTES + body.length)
  frame.writeUInt32BE(body.length, 0)
  body.copy(frame, LENGTH_BYTES)
  return frame
}

/** Splits a byte stream back into values; chunks may cut frames anywhere. */
export class FrameDecoder {
  #buffer = Buffer.alloc(0)

  /** The values completed by `chunk`, in order. */
  push(chunk) {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk])
    const values = []
    while (this.#buffer.length >= LENGTH_BYTES) {
      const length = this.#buffer.readUInt32BE(0)
      if (this.#buffer.length < LENGTH_BYTES + length) break
      values.push(deserialize(this.#buffer.subarray(LENGTH_BYTES, LENGTH_BYTES + length)))
      this.#buffer = this.#buffer.subarray(LENGTH_BYTES + length)
    }
    return values
  }

  /** Bytes of an unfinished frame still held. */
  get pendingBytes() {
    return this.#buffer.length
  }
}
