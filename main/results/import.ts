/**
 * Importing a result file exported elsewhere (`export --format sqlite`, a `.mtr` a colleague
 * mailed) as a finished job of this data folder. Such a file is untrusted input, so:
 *
 * 1. here, it is only opened without following into anything but a regular file (a FIFO or a
 *    device never blocks the import), its first 100 bytes are looked at, and it is copied byte by
 *    byte into the results folder as `<job>.sqlite.partial` — never opened with SQLite;
 * 2. the copy is checked in a worker process under a time limit (`inspect`, the engine's
 *    `inspectResultFile`): exactly the app's schema, sound pages, a sane manifest;
 * 3. the catalog row is written (finished and pinned, so no engine ever runs it), and only then
 *    does the copy lose its `.partial` name. Start-up recovery removes any `.partial` left by a crash.
 */
import { randomBytes } from 'node:crypto'
import { constants, createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { AppError } from '../../shared/errors.js'
import type { EngineSettings } from '../../shared/settings.js'
import type { WorkerInspection } from '../../shared/worker-protocol.js'
import {
  isResultFileHeader, notAResultFile, PARTIAL_SUFFIX, RESULT_HEADER_BYTES, resultPathOf, resultsDirOf, type Catalog, type JobRow,
} from '../store/index.js'
import { IMPORT_SOURCE_PREFIX } from './job-view.js'

function newJobId(): string {
  return `trace-evt-${randomBytes(6).toString('hex')}`
}

export interface ImportResultOptions {
  catalog: Catalog
  dataDir: string
  settings: Pick<EngineSettings, 'TRACE_JOB_TTL_SECONDS'>
  /**
   * Checks the private copy (`copy`) in a worker process under a time limit and says what it
   * holds; rejects with `import/invalid` when the file is refused, naming it `name` (the path the
   * person gave). The engine's `inspectResultFile`.
   */
  inspect: (copy: string, jobId: string, name: string) => Promise<WorkerInspection>
}

/** What an import made: the new job's row and what the file says about itself. */
export interface ImportedResult {
  row: JobRow
  /** The job id written in the file (the job it was exported from). */
  fileJobId: string
  asOf: number
}

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

/** Imports `file` (a finished result file) as a new, pinned, finished job. */
export async function importResultFile(file: string, options: ImportResultOptions): Promise<ImportedResult> {
  const path = resolve(file)
  const jobId = newJobId()
  const resultsDir = resultsDirOf(options.dataDir)
  const dest = resultPathOf(resultsDir, jobId)
  const partial = `${dest}${PARTIAL_SUFFIX}`
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
  let row: JobRow | undefined
  try {
    const found = await options.inspect(partial, jobId, path)
    const now = Date.now()
    row = options.catalog.insertJob({
      job_id: jobId,
      profile: found.request.profile,
      direction: found.request.direction,
      domains: found.domains,
      request: found.request,
      dedup_key: null,
      source_id: `${IMPORT_SOURCE_PREFIX}${basename(path)}`,
      source_description: `${found.source} (imported from ${path})`,
      result_path: dest,
      priority: 1,
      status: 'finished',
      created_at: now,
      completed_at: now,
      ttl_ms: options.settings.TRACE_JOB_TTL_SECONDS * 1000,
      pinned: true,
      seed_count: found.seedCount,
      cid_count: found.cidCount,
      row_counts: found.rowCounts,
      quality: found.quality?.status ?? null,
      cached_from: null,
    })
    renameSync(partial, dest)
    return { row, fileJobId: found.fileJobId, asOf: found.asOf }
  } catch (error) {
    if (row) options.catalog.deleteJob(jobId)
    try {
      rmSync(partial, { force: true })
    } catch {
      // Still held open (an antivirus scan, say): the next start removes `.partial` leftovers.
    }
    if (error instanceof AppError) throw error
    throw new AppError('storage/write-failed', `Importing ${path} failed: ${(error as Error).message}`, {}, { cause: error })
  }
}
