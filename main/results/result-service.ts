/**
 * The one owner of finished results in the main process: it opens each job's result file once
 * (read-only), keeps it open while pages are read (its filter totals are cached), and closes it
 * when the engine removes or expires the job, or when the service closes. Everything that reads a
 * result — the services behind the renderer, the command line, exports — reads it here, so a
 * summary or an aggregation is built in one place and typed once.
 */
import { AppError } from '../../shared/errors.js'
import { MAX_NOT_FOUND_SHOWN, type ResultSummary } from '../../shared/api.js'
import { jobOutcomeOf } from '../../shared/data-window.js'
import { summarizeRequest } from '../../shared/jobs.js'
import type { MsdAggregation } from '../../shared/msd.js'
import type { PageQuery, RowsPage } from '../../shared/page-query.js'
import { isStageTimings } from '../../shared/stage-timings.js'
import type { Domain, LineageResult } from '../../shared/trace.js'
import type { JobEngine } from '../engine/index.js'
import { openResultFile, type MsdTable, type ResultFileReader } from '../store/index.js'

export class ResultService {
  private readonly readers = new Map<string, ResultFileReader>()
  private readonly stopListening: () => void

  constructor(private readonly engine: JobEngine) {
    this.stopListening = engine.onWillRemove((jobId) => this.forget(jobId))
  }

  /**
   * The read-only result file of a finished job (`job/not-found`, `job/not-finished` otherwise).
   * The service owns it: callers never close it.
   */
  reader(jobId: string): ResultFileReader {
    const open = this.readers.get(jobId)
    if (open) return open
    const row = this.engine.status(jobId)
    if (row.status !== 'finished' || !row.result_path) {
      throw new AppError('job/not-finished', `Job ${jobId} is ${row.status}; results exist only for finished jobs.`, { status: row.status })
    }
    const reader = openResultFile(row.result_path)
    this.readers.set(jobId, reader)
    return reader
  }

  /** What a finished result holds: the header, tabs and banners of every surface. */
  summary(jobId: string): ResultSummary {
    const reader = this.reader(jobId)
    const manifest = reader.manifest()
    const seeds = reader.seeds()
    const columns: ResultSummary['columns'] = {}
    for (const domain of manifest.domains) columns[domain] = reader.domainColumns(domain) ?? []
    return {
      job_id: jobId,
      file_job_id: manifest.job_id,
      app_version: manifest.app_version,
      result_file: reader.path,
      request: manifest.request,
      source: manifest.source,
      as_of: manifest.as_of,
      domains: manifest.domains,
      row_counts: manifest.row_counts,
      columns,
      sort_columns: manifest.sort_columns,
      quality: manifest.quality,
      domain_quality: manifest.domain_quality,
      warnings: manifest.warnings,
      seeds: seeds
        ? {
            seed_count: seeds.seed_count,
            input_count: seeds.input_count,
            not_found: seeds.not_found.slice(0, MAX_NOT_FOUND_SHOWN),
            not_found_count: seeds.not_found.length,
          }
        : null,
      msd_tables: manifest.msd_tables ?? {},
      // A file without a seed result says nothing about its seeds: no warning is made up for it.
      outcome: seeds ? jobOutcomeOf(seeds.seed_count, summarizeRequest(manifest.request), manifest.station_window ?? null) : { status: 'ok' },
      stage_ms: isStageTimings(manifest.stage_ms) ? manifest.stage_ms : null,
    }
  }

  /** The MSD analysis of a finished job; null for other profiles. */
  aggregation(jobId: string): MsdAggregation | null {
    return this.reader(jobId).aggregation()
  }

  /** The lineage of a finished job, when it has one. */
  lineage(jobId: string): LineageResult | null {
    return this.reader(jobId).lineage()
  }

  /** One page of a domain of a finished job; a page read costs one page. */
  page(jobId: string, domain: Domain, query: PageQuery = {}): RowsPage {
    return this.reader(jobId).page(domain, query)
  }

  /** One page of an MSD output table (`detail` or `suspects`). */
  detail(jobId: string, table: MsdTable, query: PageQuery = {}): RowsPage {
    return this.reader(jobId).msdPage(table, query)
  }

  /** Closes the reader of a job, if one is open (the next read opens it again). */
  forget(jobId: string): void {
    this.readers.get(jobId)?.close()
    this.readers.delete(jobId)
  }

  /** Closes every reader and stops following the engine. */
  close(): void {
    this.stopListening()
    for (const jobId of [...this.readers.keys()]) this.forget(jobId)
  }
}
