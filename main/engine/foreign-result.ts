/**
 * Bringing a result file exported elsewhere (`export --format sqlite`, a `.mtr` a colleague
 * mailed) into the data folder, for `JobEngine.importResult`. Such a file is untrusted input, so
 * here it is only opened without following into anything but a regular file (a FIFO or a device
 * never blocks the import), its first 100 bytes are looked at, and it is copied byte by byte into
 * the results folder as `<job>.sqlite.partial` — never opened with SQLite. The engine then checks
 * the copy in a worker process and only after that writes the job row.
 */
import { constants, createWriteStream, mkdirSync, rmSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import { AppError } from '../../shared/errors.js'
import { isResultFileHeader, notAResultFile, RESULT_HEADER_BYTES } from '../store/index.js'

type FileHandle = Awaited<ReturnType<typeof open>>

/**
 * Opens `path` if it is a regular file that starts like a result file. Opened non-blocking, so a
 * FIFO cannot stall the import; every refusal is the same message, so an answer never says
 * whether some path exists.
 */
async function openForeignFile(path: string): Promise<FileHandle> {
  let source: FileHandle
  try {
    source = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch {
    throw notAResultFile(path)
  }
  try {
    const stat = await source.stat()
    if (!stat.isFile() || stat.size < RESULT_HEADER_BYTES) throw notAResultFile(path)
    const header = Buffer.alloc(RESULT_HEADER_BYTES)
    const { bytesRead } = await source.read(header, 0, RESULT_HEADER_BYTES, 0)
    if (bytesRead !== RESULT_HEADER_BYTES || !isResultFileHeader(header)) throw notAResultFile(path)
    return source
  } catch (error) {
    await source.close()
    throw error
  }
}

/** Copies an opened file byte by byte to `dest`, which is created (never replaced). */
async function copyOpenedFile(source: FileHandle, path: string, dest: string): Promise<void> {
  // The size seen now: a file that keeps growing while it is copied cannot keep the copy going
  // (and a copy cut short is refused by the check).
  const { size } = await source.stat()
  try {
    await pipeline(source.createReadStream({ start: 0, end: Math.max(0, size - 1), autoClose: false }), createWriteStream(dest, { flags: 'wx' }))
  } catch (error) {
    rmSync(dest, { force: true })
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      throw new AppError('storage/full', `Copying ${path} into the data folder ran out of space. Free some disk space and import it again.`, {})
    }
    throw new AppError('storage/write-failed', `Copying ${path} into the data folder failed: ${(error as Error).message}`, {})
  }
}

/**
 * Copies the result file at `path` (absolute) to `partial` in `resultsDir` (created if needed):
 * refused unless it is a regular file that starts like a result file.
 */
export async function copyForeignResult(path: string, resultsDir: string, partial: string): Promise<void> {
  const source = await openForeignFile(path)
  try {
    try {
      mkdirSync(resultsDir, { recursive: true })
    } catch (error) {
      throw new AppError('storage/write-failed', `Creating the results folder ${resultsDir} failed: ${(error as Error).message}`, { path: resultsDir })
    }
    await copyOpenedFile(source, path, partial)
  } finally {
    await source.close()
  }
}
