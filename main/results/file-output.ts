/**
 * Writing an output file safely: next to its final path first, renamed into place when complete,
 * so a failure never leaves half a file under the name asked for; and line writes that wait for a
 * stream to drain, so an export never buffers more than one chunk.
 */
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { renameSync, rmSync, type WriteStream } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { finished } from 'node:stream/promises'
import { AppError, type AppErrorData } from '../../shared/errors.js'

/** A temporary name next to `path`, on the same file system so the final rename is atomic. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`)
}

/**
 * Writes `path` through a temporary file renamed into place; the temporary file never survives a
 * failure. `temp` defaults to a hidden name beside `path`.
 */
export async function writeAtomically<T>(path: string, write: (tempPath: string) => Promise<T>, temp = tempPathFor(path)): Promise<T> {
  try {
    const result = await write(temp)
    renameSync(temp, path)
    return result
  } catch (error) {
    rmSync(temp, { force: true })
    if (error instanceof AppError) throw error
    throw new AppError('storage/write-failed', `writing ${path} failed: ${(error as Error).message}`, { path }, { cause: error })
  }
}

function writeFailed(path: string, error: unknown): AppErrorData {
  return { code: 'storage/write-failed', message: `writing ${path} failed: ${(error as Error).message}`, details: { path } }
}

/** Flushes and closes an output stream; returns the error when the file could not be completed. */
export async function closeOutput(stream: WriteStream, path: string): Promise<AppErrorData | null> {
  if (stream.destroyed) return stream.errored ? writeFailed(path, stream.errored) : null
  stream.end()
  try {
    await finished(stream)
    return null
  } catch (error) {
    return writeFailed(path, error)
  }
}

/** Writes one line, waiting for the stream to drain; `once` rejects if the stream errors meanwhile. */
export async function writeLine(stream: WriteStream, line: string): Promise<void> {
  if (stream.destroyed) {
    const data = writeFailed(String(stream.path), stream.errored ?? new Error('the file was closed'))
    throw new AppError(data.code, data.message, data.details)
  }
  if (!stream.write(line)) await once(stream, 'drain')
}
