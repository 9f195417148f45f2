/**
 * The handlers of the equipment tab (`equipment:*`) and of a repair job's transactions
 * (`sources:job-transactions*`). Each reads a saved source directly, as a fast bounded query (the
 * limits are the settings `EQUIPMENT_MAX_MACHINES` and `EQUIPMENT_MAX_DAYS`, checked before the
 * source is opened); exports are written where `jobs:export` writes.
 */
import { basename } from 'node:path'
import type { ExportAnswer } from '../../shared/api.js'
import { JOB_WITH_TRANSACTION_COLUMNS, type EquipmentExport, type EquipmentQuery } from '../../shared/equipment.js'
import { AppError } from '../../shared/errors.js'
import type { EventRow } from '../../shared/trace.js'
import { assertExportTarget, cellsOf, writeCsv, writeXlsx, type ExportDestination, type ResultService } from '../results/index.js'
import {
  checkEquipmentQuery,
  equipmentExportRows,
  jobsWithTransactions,
  openSource,
  readEquipmentJobs,
  readEquipmentLots,
  readEquipmentRejects,
  readEquipmentTimeline,
  readJobTransactions,
  readMachineList,
  sourceIdOf,
  type EquipmentLimits,
  type MesSource,
  type SourceSpec,
} from '../sources/index.js'
import type { Handlers } from './router.js'
import type { SourceFacts } from './source-facts.js'
import type { SourceProfiles } from './source-profiles.js'

/** What the equipment handlers need of the services. */
export interface EquipmentServicesDeps {
  sources: SourceProfiles
  facts: SourceFacts
  results: ResultService
  /** The source a result was run on (its `source_id`). */
  sourceIdOfJob: (jobId: string) => string
  /** The profile's facts key and spec (see services.ts `factsKeyOf`). */
  factsKeyOf: (id: string) => { key: string; spec: SourceSpec }
  /** The engine settings now in force. */
  limits: () => EquipmentLimits
  exportDestination: ExportDestination
  dataDir: string
  /** Records a file saved where the person chose, for `jobs:show-export`. */
  remember: (path: string) => void
}

type EquipmentHandlers = Pick<
  Handlers,
  | 'equipment:machines'
  | 'equipment:lots'
  | 'equipment:jobs'
  | 'equipment:rejects'
  | 'equipment:timeline'
  | 'equipment:export'
  | 'sources:job-transactions'
  | 'sources:job-transactions-export'
>

/** Headers of the lots export: the original's labels where it had its own (original-ui.md §1.2). */
const LOT_EXPORT_HEADERS: Readonly<Record<string, string>> = {
  CONTAINERNAME: 'LOT ID',
  FIRSTNAME: 'WAFER LOT',
  PJ_TYPE: 'TYPE',
  PJ_BOP: 'BOP',
  PJ_WORKORDER: 'WORKORDER',
}

/** The optional table of the status hours. */
const STATUS_TABLE = 'DW_MES_RESOURCESTATUS_SHIFT'

/** Sheet names of the exports (the original's file names). */
const EXPORT_NAMES: Readonly<Record<EquipmentExport, string>> = {
  lots: 'equipment_lots',
  jobs: 'equipment_jobs',
  rejects: 'equipment_rejects',
  status_hours: 'equipment_status_hours',
}

function headersOf(table: EquipmentExport, columns: readonly string[]): string[] {
  return table === 'lots' ? columns.map((c) => LOT_EXPORT_HEADERS[c] ?? c) : [...columns]
}

/** Builds the equipment and job-transaction handlers. */
export function createEquipmentServices(deps: EquipmentServicesDeps): EquipmentHandlers {
  const { sources, facts, results } = deps

  async function withSource<T>(spec: SourceSpec, read: (source: MesSource) => Promise<T>): Promise<T> {
    const { source } = await openSource(spec)
    try {
      return await read(source)
    } finally {
      await source.close()
    }
  }

  /** The query checked against the settings, and the saved source it names. */
  function checked(query: EquipmentQuery): { query: EquipmentQuery; spec: SourceSpec } {
    const { spec } = sources.specOf(query.id, 'id')
    const plain: EquipmentQuery = { id: query.id, equipment_ids: query.equipment_ids, start_date: query.start_date, end_date: query.end_date }
    checkEquipmentQuery(plain, deps.limits())
    return { query: plain, spec }
  }

  /** The saved source a result was read from; refused when it is not saved here. */
  function specOfResult(jobId: string): SourceSpec {
    const sourceId = deps.sourceIdOfJob(jobId)
    for (const profile of sources.list()) {
      try {
        const { spec } = sources.specOf(profile.id)
        if (sourceIdOf(spec) === sourceId) return spec
      } catch {
        // A profile whose spec cannot be read (e.g. no password yet) is not the one.
      }
    }
    throw new AppError('source/unreachable', `The source this result was read from (${sourceId}) is not a saved source here; add it to read from it again.`, { source: sourceId })
  }

  /** Writes rows to the destination the person chose; the answer `jobs:export` gives. */
  async function writeExport(
    request: { name: string; table: string; sheet: string; format: 'csv' | 'xlsx'; clientId: string },
    headers: readonly string[],
    columns: readonly string[],
    rows: AsyncIterable<EventRow[]>,
  ): Promise<ExportAnswer> {
    const target = await deps.exportDestination.choose({ jobId: request.name, table: request.table, format: request.format, clientId: request.clientId })
    if (!target) return { cancelled: true, delivery: 'saved', files: [] }
    const path = assertExportTarget(target.path, { dataDir: deps.dataDir })
    let count: number
    if (request.format === 'xlsx') {
      const sheets = await writeXlsx(path, [{ name: request.sheet, headers, rows: cellsOf(rows, columns) }])
      count = sheets.reduce((n, s) => n + s.rows, 0)
    } else {
      count = await writeCsv(path, headers, cellsOf(rows, columns))
    }
    if (target.delivery === 'saved') deps.remember(target.path)
    return { cancelled: false, delivery: target.delivery, files: [{ path: target.path, name: basename(target.path), rows: count }] }
  }

  return {
    'equipment:machines': async ({ id }) => {
      const { key, spec } = deps.factsKeyOf(id)
      // The default range ends on the source's last day of data, read once and kept a while.
      const window = await facts.dataWindow(key, spec)
      return withSource(spec, (source) => readMachineList(source, { limits: deps.limits(), window }))
    },
    'equipment:lots': ({ offset, limit, ...rest }) => {
      const { query, spec } = checked(rest)
      return withSource(spec, (source) => readEquipmentLots(source, query, { ...(offset !== undefined ? { offset } : {}), ...(limit !== undefined ? { limit } : {}) }))
    },
    'equipment:jobs': (payload) => {
      const { query, spec } = checked(payload)
      return withSource(spec, (source) => readEquipmentJobs(source, query))
    },
    'equipment:rejects': (payload) => {
      const { query, spec } = checked(payload)
      return withSource(spec, (source) => readEquipmentRejects(source, query))
    },
    'equipment:timeline': (payload) => {
      const { query, spec } = checked(payload)
      return withSource(spec, (source) => readEquipmentTimeline(source, query))
    },
    'equipment:export': async ({ table, format, ...rest }, context) => {
      // Checked before anyone is asked where to put the file.
      const { query, spec } = checked(rest)
      return withSource(spec, async (source) => {
        // A table the export needs and the source lacks is named before a save dialog opens.
        if (table === 'status_hours' && !(await source.catalog()).has(STATUS_TABLE)) {
          throw new AppError('source/schema', `The source ${source.description} has no ${STATUS_TABLE} table, so there are no status hours to export.`, { missing: [STATUS_TABLE] })
        }
        const { columns, rows } = equipmentExportRows(source, query, table)
        return writeExport({ name: 'equipment', table, sheet: EXPORT_NAMES[table], format, clientId: context.clientId }, headersOf(table, columns), columns, rows)
      })
    },
    'sources:job-transactions': ({ job_id: jobId, repair_job: repairJob }) =>
      withSource(specOfResult(jobId), (source) => readJobTransactions(source, repairJob)),
    'sources:job-transactions-export': async ({ job_id: jobId, format }, context) => {
      const reader = results.reader(jobId)
      if (!reader.manifest().domains.includes('jobs')) {
        throw new AppError('input/invalid', 'job_id: this result has no repair jobs (its trace did not fetch the jobs domain).', { field: 'job_id' })
      }
      const spec = specOfResult(jobId)
      return withSource(spec, (source) =>
        writeExport(
          { name: jobId, table: 'jobs-with-transactions', sheet: 'jobs_with_transactions', format, clientId: context.clientId },
          JOB_WITH_TRANSACTION_COLUMNS.map((c) => (c === 'LOT_ID' ? 'LOT ID' : c)),
          JOB_WITH_TRANSACTION_COLUMNS,
          jobsWithTransactions(source, reader.allRows('jobs')),
        ),
      )
    },
  }
}

