/**
 * Importing a result file exported elsewhere (`export --format sqlite`) as a finished job of this
 * data folder: the file is checked, copied into the results folder under a new job id, and a
 * catalog row is written from its manifest, pinned so it does not expire. The row is inserted
 * whole (already finished) in one transaction, so no engine ever sees it queued and tries to run
 * it; until it is inserted the copy carries the partial suffix that start-up recovery removes.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, rmSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import { AppError, toErrorData } from '../../shared/errors.js'
import type { EngineSettings } from '../../shared/settings.js'
import { normalizeTraceRequest, toTraceRequest, type NormalizedTraceRequest } from '../../shared/trace-request.js'
import { openResultFile, PARTIAL_SUFFIX, resultPathOf, resultsDirOf, type Catalog, type JobRow, type ResultFileReader } from '../store/index.js'
import { eventCids } from '../trace/index.js'
import { copyResultFile } from './export.js'
import { IMPORT_SOURCE_PREFIX } from './job-view.js'

function newJobId(): string {
  return `trace-evt-${randomBytes(6).toString('hex')}`
}

export interface ImportResultOptions {
  catalog: Catalog
  dataDir: string
  settings: Pick<EngineSettings, 'TRACE_JOB_TTL_SECONDS'>
}

/** What an import made: the new job's row and what the file says about itself. */
export interface ImportedResult {
  row: JobRow
  /** The job id written in the file (the job it was exported from). */
  fileJobId: string
  asOf: number
}

/** Imports `file` (a finished result file) as a new, pinned, finished job. */
export async function importResultFile(file: string, options: ImportResultOptions): Promise<ImportedResult> {
  const path = resolve(file)
  // Validate first: a file that is not a finished result is refused before anything is written.
  const original = openResultFile(path)
  let request: NormalizedTraceRequest
  try {
    const manifest = original.manifest()
    if (manifest.status !== 'finished') throw new AppError('storage/unreadable', `The result file ${path} was never finished.`, { path })
    try {
      request = normalizeTraceRequest(toTraceRequest(manifest.request))
    } catch (error) {
      throw new AppError('storage/unreadable', `The result file ${path} holds a request this version cannot read: ${toErrorData(error).message}`, { path })
    }
  } finally {
    original.close()
  }
  const jobId = newJobId()
  const resultsDir = resultsDirOf(options.dataDir)
  const dest = resultPathOf(resultsDir, jobId)
  try {
    mkdirSync(resultsDir, { recursive: true })
  } catch (error) {
    throw new AppError('storage/write-failed', `Creating the results folder ${resultsDir} failed: ${(error as Error).message}`, { path: resultsDir })
  }
  await copyResultFile(path, dest, `${dest}${PARTIAL_SUFFIX}`)
  let reader: ResultFileReader | undefined
  try {
    reader = openResultFile(dest)
    const manifest = reader.manifest()
    const seeds = reader.seeds()
    const lineage = reader.lineage()
    const cids = lineage ? eventCids(request, (seeds?.seeds ?? []).map((s) => s.container_id), lineage).length : 0
    const now = Date.now()
    const row = options.catalog.insertJob({
      job_id: jobId,
      profile: request.profile,
      direction: request.direction,
      domains: manifest.domains,
      request,
      dedup_key: null,
      source_id: `${IMPORT_SOURCE_PREFIX}${basename(path)}`,
      source_description: `${manifest.source} (imported from ${path})`,
      result_path: dest,
      priority: 1,
      status: 'finished',
      created_at: now,
      completed_at: now,
      ttl_ms: options.settings.TRACE_JOB_TTL_SECONDS * 1000,
      pinned: true,
      seed_count: seeds?.seed_count ?? 0,
      cid_count: cids,
      row_counts: manifest.row_counts,
      quality: manifest.quality?.status ?? null,
      cached_from: null,
    })
    return { row, fileJobId: manifest.job_id, asOf: manifest.as_of }
  } catch (error) {
    reader?.close()
    reader = undefined
    rmSync(dest, { force: true })
    throw error
  } finally {
    reader?.close()
  }
}
