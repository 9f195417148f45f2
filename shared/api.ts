/**
 * The service contract between the renderer and the main side: every operation the renderer may
 * call (channel `domain:verb-noun`, one plain-object argument) with the runtime schema of its
 * payload and the type of its answer, and the events main pushes. Both transports — Electron IPC
 * and the browser host's WebSocket (framed by wire.ts) — carry exactly this; handlers are
 * registered against it once. Fields are snake_case throughout (`job_id`, `as_of`), as in the job
 * view and the CLI's JSON.
 *
 * Answers are `{ ok: true, value } | { ok: false, error: { code, message, details? } }`; a payload
 * that fails its schema is `input/invalid` with `details.field` naming the first bad field.
 */
import { z } from 'zod'
import type { JobOutcome, SourceDataWindow, StationLossReasons } from './data-window.js'
import type { MachineRecentJobs } from './machine-jobs.js'
import { EQUIPMENT_EXPORTS, EQUIPMENT_HARD_MAX_MACHINES, type EquipmentJobs, type EquipmentLotsPage, type EquipmentRejects, type EquipmentTimeline, type JobTransactions, type MachineList } from './equipment.js'
import { invalidInput, type AppErrorData } from './errors.js'
import { JOB_STATUSES, type JobView } from './jobs.js'
import type { MsdAggregation } from './msd.js'
import type { MsdDiff } from './msd-diff.js'
import { pageQuerySchema, pageSortSchema, type RowsPage } from './page-query.js'
import type { StageTimings } from './stage-timings.js'
import { PUSHDOWN_MODES, type NormalizedTraceRequest, type PushdownMode, type TraceRequest } from './trace-request.js'
import { DOMAINS, PROFILES, type Domain, type LineageResult, type QualityMeta, type TraceProgress } from './trace.js'

/** Longest path the renderer may hand over (Windows' extended paths reach 32 767). */
const MAX_PATH = 4096

const jobId = z.string().regex(/^trace-evt-[0-9a-f]{12}$/, 'must be a job id like trace-evt-0123456789ab')
const path = z.string().min(1).max(MAX_PATH)
const domain = z.enum(DOMAINS)
const job = z.object({ job_id: jobId }).strict()
const none = z.object({}).strict()
const sourceId = z.string().min(1).max(200)
const calendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date in the form YYYY-MM-DD')
/** The fields of every equipment read (shared/equipment.ts `EquipmentQuery`); the settings' limits are checked by the service. */
const equipmentQuery = {
  id: sourceId,
  equipment_ids: z.array(z.string().trim().min(1).max(200)).min(1, 'choose at least one machine').max(EQUIPMENT_HARD_MAX_MACHINES),
  start_date: calendarDate,
  end_date: calendarDate,
}

/** The page query's fields (offset, limit, sort, filter), spread into the requests that read a page. */
const page = pageQuerySchema.shape

/** Most columns an exported view may name (the widest stored table has far fewer). */
export const MAX_VIEW_COLUMNS = 200

/** Most selected row ranges an exported view may name (a shift-click is one range; a Ctrl-click adds one). */
export const MAX_VIEW_RANGES = 10_000

/** Longest header text of one exported column (a shown label is a few words). */
export const MAX_VIEW_HEADER_LENGTH = 200

const rowIndex = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)

/**
 * Schema of "this view" of a table, as `jobs:export` takes it: what the table shows right now, in
 * the page query's own terms, so main reads exactly the rows the table paged. Column names are
 * checked against the table's columns in main, and the ranges against the number of rows the
 * view holds.
 */
export const exportViewSchema = z
  .object({
    /**
     * Every condition of the view: the table's fixed ones (a drill-down, the lineage selection)
     * and the person's column boxes, as the table's pages send them. @default none
     */
    filter: page.filter,
    /** The order the rows are shown in. @default the table's stored order */
    sort: pageSortSchema.optional(),
    /** The visible columns, in the order they are shown; each at most once. */
    columns: z
      .array(pageSortSchema.shape.column)
      .min(1)
      .max(MAX_VIEW_COLUMNS)
      .refine((columns) => new Set(columns).size === columns.length, 'names a column twice'),
    /**
     * The header of each column as the table shows it (its label), same length as `columns`.
     * @default the table's export headers (the column names; the original's for the MSD tables)
     */
    headers: z.array(z.string().min(1).max(MAX_VIEW_HEADER_LENGTH)).max(MAX_VIEW_COLUMNS).optional(),
    /**
     * The selected rows as sorted, disjoint, inclusive `[first, last]` index ranges in the shown
     * order; only those rows are written. @default none: every row of the view
     */
    selection: z
      .array(z.tuple([rowIndex, rowIndex]).refine(([first, last]) => first <= last, 'must be [first, last] with first ≤ last'))
      .max(MAX_VIEW_RANGES)
      .refine((ranges) => ranges.every((r, i) => i === 0 || r[0] > ranges[i - 1]![1]), 'ranges must be sorted and must not overlap')
      .optional(),
  })
  .strict()
  .refine((view) => view.headers === undefined || view.headers.length === view.columns.length, {
    message: 'must name one header per column',
    path: ['headers'],
  })

/** "This view" of a table, for `jobs:export` (see {@link exportViewSchema}). */
export type ExportView = z.input<typeof exportViewSchema>

/** Fields every source profile has. */
interface SourceProfileBase {
  id: string
  name: string
  created_at: number
  /** Set by the machine's policy (IT), not by the user. */
  managed?: boolean
  /** Managed and locked: it cannot be removed. */
  locked?: boolean
}

/** A SQLite file (a plant replica, the demo plant). */
export interface SqliteSourceProfile extends SourceProfileBase {
  kind: 'sqlite'
  /** Absolute path of the SQLite file. */
  path: string
}

/** A PostgreSQL or Oracle server; its password stays in main (see `password`). */
export interface ServerSourceProfile extends SourceProfileBase {
  kind: 'postgres' | 'oracle'
  /** `postgres://user@host:5432/db?schema=mes` or `oracle://user@host:1521/SERVICE`, never with a password. */
  url: string
  /**
   * Where its password is: `saved` (encrypted by the OS), `session` (in memory until the app
   * closes: the OS has no key store here), or `none` (the server takes none, or it must be given again).
   */
  password: 'saved' | 'session' | 'none'
  /** Whether its MSD traces have the server summarize their events (docs/pushdown.md). */
  pushdown: PushdownMode
}

/** A source profile the renderer can pick (secrets never leave main). */
export type SourceProfile = SqliteSourceProfile | ServerSourceProfile

export type { RowsPage } from './page-query.js'

/** What an export wrote. */
export interface ExportAnswer {
  /** True when the person closed the save dialog without choosing a file (nothing was written). */
  cancelled: boolean
  /**
   * How the file reaches the person: `saved` where they chose (desktop app), or `download`: the
   * page fetches it from the host by `name` (browser host).
   */
  delivery: 'saved' | 'download'
  files: {
    /** Where the file was written. */
    path: string
    /** Its file name (what a download is called). */
    name: string
    /** Data rows written (CSV, and XLSX in all). */
    rows?: number
    bytes?: number
  }[]
}

/** What `results:report` did: the report saved where the person chose, or the report itself. */
export interface ReportAnswer {
  /** True when the person closed the save dialog without choosing a file (nothing was written). */
  cancelled: boolean
  /**
   * `saved` where the person chose (desktop app: `path`), or `inline`: `html` is the report, for
   * the page to download as `name` (browser host).
   */
  delivery: 'saved' | 'inline'
  format: 'html' | 'pdf'
  /** The file name it was saved as or should be downloaded as. */
  name: string
  /** Where it was saved (`saved`), else null. */
  path: string | null
  /** The report (`inline`), else null. */
  html: string | null
  /** Its size in bytes (0 when cancelled). */
  bytes: number
}

/** Tokens of `ResultSummary.seeds.not_found` sent at most (the count is always exact). */
export const MAX_NOT_FOUND_SHOWN = 1000

/** What a finished result holds, for the result view's header, tabs and banners. */
export interface ResultSummary {
  job_id: string
  /** The job id written in the file (another one when the result was imported). */
  file_job_id: string
  /** Version of MES Trace that wrote the result. */
  app_version: string
  /** Where the result file is. */
  result_file: string
  request: NormalizedTraceRequest
  /** The source as a person reads it. */
  source: string
  /** When the source was read: the data is as of this time (epoch ms). */
  as_of: number
  domains: Domain[]
  row_counts: Partial<Record<Domain, number>>
  /** Columns of each stored domain, in stored order. */
  columns: Partial<Record<Domain, string[]>>
  /** Columns a sorted page of costs one page. */
  sort_columns: Partial<Record<Domain, string[]>>
  quality: QualityMeta | null
  domain_quality: Partial<Record<Domain, QualityMeta>>
  warnings: string[]
  seeds: { seed_count: number; input_count: number; not_found: string[]; not_found_count: number } | null
  /** MSD output tables: rows and columns. */
  msd_tables: Partial<Record<'detail' | 'suspects', { rows: number; columns: string[] }>>
  /** `warning` when the trace found nothing to trace, with why (and, for a date range, where the source's data is). */
  outcome: JobOutcome
  /** Where the job's time went; null for files of earlier versions (or a record that does not hold together). */
  stage_ms: StageTimings | null
}

/** Request schemas, one per channel. */
export const REQUESTS = {
  'jobs:enqueue': z
    .object({
      /** A trace request, validated by `normalizeTraceRequest` (its errors name the field). */
      request: z.object({ profile: z.enum(PROFILES), params: z.record(z.string(), z.unknown()), domains: z.array(domain).optional() }).strict(),
      source_id: z.string().min(1).max(200),
      force: z.boolean().optional(),
    })
    .strict(),
  'jobs:list': z
    .object({
      status: z.union([z.enum(JOB_STATUSES), z.array(z.enum(JOB_STATUSES)).min(1).max(JOB_STATUSES.length)]).optional(),
      profile: z.enum(PROFILES).optional(),
      text: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(500).optional(),
      offset: z.number().int().min(0).optional(),
    })
    .strict(),
  'jobs:status': job,
  'jobs:cancel': job,
  'jobs:pin': z.object({ job_id: jobId, pinned: z.boolean() }).strict(),
  'jobs:remove': job,
  'jobs:rerun': job,
  /**
   * Writes a table of a finished result (or the whole result file, `sqlite`) to a file main
   * chooses, never one the page names: the desktop app asks in a save dialog; the browser host
   * writes a new file in the data folder's `exports` folder and the page downloads it.
   */
  'jobs:export': z
    .object({
      job_id: jobId,
      format: z.enum(['csv', 'xlsx', 'sqlite']),
      /**
       * One table (a domain, or the MSD `detail` / `suspects`): required for `csv`; for `xlsx`
       * every table (a sheet each) when absent; never with `sqlite` (the copy holds everything).
       */
      table: z.union([domain, z.enum(['detail', 'suspects'])]).optional(),
      /**
       * Only what the table shows (csv and xlsx of one `table`): its conditions, order, visible
       * columns and selected rows; the file is named as a view (`…-view.csv`). @default every row
       */
      view: exportViewSchema.optional(),
    })
    .strict(),
  /**
   * Opens the folder of a file this app exported while it runs, with the file selected (the
   * desktop app's "show in folder"). Any other path is refused with `export/refused`, so a page
   * cannot make it reveal other files; the browser host has no folder to show and refuses every call.
   */
  'jobs:show-export': z.object({ path }).strict(),
  'jobs:import': z.object({ path }).strict(),
  'results:page': z.object({ job_id: jobId, domain, ...page }).strict(),
  'results:lineage': job,
  'results:aggregation': job,
  'results:summary': job,
  'results:detail': z.object({ job_id: jobId, table: z.enum(['detail', 'suspects']), ...page }).strict(),
  /** Two MSD results of one station and direction: `job_a` the baseline (older) run, `job_b` the newer. */
  'results:diff': z.object({ job_a: jobId, job_b: jobId }).strict(),
  /**
   * The evidence report of a backward MSD result (one self-contained HTML file) in `locale`. The
   * desktop app saves it where the person says in a save dialog, as HTML or as PDF (`format`); the
   * browser host answers with the HTML itself, for the page to download (`pdf` is the desktop
   * app's only: a browser prints the HTML to PDF itself).
   */
  'results:report': z.object({ job_id: jobId, locale: z.enum(['en', 'zh-TW']), format: z.enum(['html', 'pdf']).optional() }).strict(),
  'sources:list': none,
  'sources:add': z.discriminatedUnion('kind', [
    z.object({ name: z.string().trim().min(1).max(100), kind: z.literal('sqlite'), path }).strict(),
    /** A server: its URL (a password inside it is taken out) and, apart, its password. */
    z
      .object({
        name: z.string().trim().min(1).max(100),
        kind: z.enum(['postgres', 'oracle']),
        url: z.string().min(1).max(2000),
        password: z.string().max(1000).optional(),
        pushdown: z.enum(PUSHDOWN_MODES as [PushdownMode, ...PushdownMode[]]).optional(),
      })
      .strict(),
  ]),
  /**
   * A saved source (`id`) or one not saved yet: `kind: 'sqlite'` + `path`, or `kind: 'postgres' | 'oracle'`
   * + `url` (its password, if any, is used for this test only and never stored).
   */
  'sources:test': z
    .object({
      id: z.string().min(1).max(200).optional(),
      kind: z.enum(['sqlite', 'postgres', 'oracle']).optional(),
      path: path.optional(),
      url: z.string().min(1).max(2000).optional(),
    })
    .strict(),
  'sources:remove': z.object({ id: z.string().min(1).max(200) }).strict(),
  /** Gives a server profile its password again (a new password, or one lost with a copied data folder); empty forgets it. */
  'sources:set-password': z.object({ id: z.string().min(1).max(200), password: z.string().max(1000) }).strict(),
  /** A server profile's pushdown mode: whether its MSD traces have the server summarize their events. */
  'sources:set-pushdown': z.object({ id: z.string().min(1).max(200), pushdown: z.enum(PUSHDOWN_MODES as [PushdownMode, ...PushdownMode[]]) }).strict(),
  /** A saved source's data window: first and last track-in, overall and per station group. */
  'sources:data-window': z.object({ id: z.string().min(1).max(200) }).strict(),
  /** Loss reasons recorded at a station (one of the 12 groups) over the last 180 days of its data. */
  'sources:loss-reasons': z.object({ id: z.string().min(1).max(200), station: z.string().min(1).max(100) }).strict(),
  /**
   * A machine's newest repair jobs over the last 30 days of the source's data (the MSD machine
   * panel), read from the source the result `job_id` was run on (a saved source of this app).
   */
  'sources:machine-jobs': z.object({ job_id: jobId, equipment_id: z.string().min(1).max(200) }).strict(),
  /**
   * A repair job's transactions (`DW_MES_JOBTXNHISTORY`, oldest first), read from the source the
   * result `job_id` was run on; `repair_job` is the `JOBID`.
   */
  'sources:job-transactions': z.object({ job_id: jobId, repair_job: z.string().min(1).max(200) }).strict(),
  /**
   * The result's repair jobs (its `jobs` table) with their transactions, one row per job ×
   * transaction (original-ui.md §3.4), written where `jobs:export` writes.
   */
  'sources:job-transactions-export': z.object({ job_id: jobId, format: z.enum(['csv', 'xlsx']) }).strict(),
  /** The equipment tab's machine picker: a saved source's production machines, with the tab's limits and default range. */
  'equipment:machines': z.object({ id: sourceId }).strict(),
  /** A page of the lots the machines processed in the range (ordered by machine name, track-in). */
  'equipment:lots': z.object({ ...equipmentQuery, offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
  /** The repair jobs created on the machines in the range. */
  'equipment:jobs': z.object(equipmentQuery).strict(),
  /** The machines' scrap in the range by machine and loss reason. */
  'equipment:rejects': z.object(equipmentQuery).strict(),
  /** Status stretches, lots and repair jobs of each machine in the range, with the status hours. */
  'equipment:timeline': z.object(equipmentQuery).strict(),
  /** One sub-view's rows (or the status hours) written where `jobs:export` writes. */
  'equipment:export': z.object({ ...equipmentQuery, table: z.enum(EQUIPMENT_EXPORTS), format: z.enum(['csv', 'xlsx']) }).strict(),
  'settings:get': none,
  'settings:set': z.object({ key: z.string().min(1).max(64), value: z.union([z.string().max(1000), z.number().finite(), z.boolean(), z.null()]) }).strict(),
  'app:version': none,
  'app:data-dir': none,
} as const

export type Channel = keyof typeof REQUESTS
export const CHANNELS = Object.keys(REQUESTS) as Channel[]

/** The payload a channel takes. */
export type RequestOf<C extends Channel> = z.input<(typeof REQUESTS)[C]>

/** What each channel answers with. */
export interface Responses {
  'jobs:enqueue': { job_id: string; cached: boolean; as_of: number | null }
  'jobs:list': JobView[]
  'jobs:status': JobView
  'jobs:cancel': JobView
  'jobs:pin': JobView
  'jobs:remove': { removed: true }
  'jobs:rerun': { job_id: string }
  'jobs:export': ExportAnswer
  'jobs:show-export': { shown: true }
  'jobs:import': JobView
  'results:page': RowsPage
  'results:lineage': LineageResult | null
  'results:aggregation': MsdAggregation | null
  'results:detail': RowsPage
  'results:diff': MsdDiff
  'results:report': ReportAnswer
  'results:summary': ResultSummary
  'sources:list': SourceProfile[]
  'sources:add': SourceProfile
  'sources:test': { ok: true; description: string; warnings: string[] }
  'sources:remove': { removed: true }
  'sources:set-password': SourceProfile
  'sources:set-pushdown': SourceProfile
  'sources:data-window': SourceDataWindow
  'sources:loss-reasons': StationLossReasons
  'sources:machine-jobs': MachineRecentJobs
  'sources:job-transactions': JobTransactions
  'sources:job-transactions-export': ExportAnswer
  'equipment:machines': MachineList
  'equipment:lots': EquipmentLotsPage
  'equipment:jobs': EquipmentJobs
  'equipment:rejects': EquipmentRejects
  'equipment:timeline': EquipmentTimeline
  'equipment:export': ExportAnswer
  'settings:get': {
    values: Record<string, string | number | boolean | null>
    defaults: Record<string, string | number | boolean | null>
    /** Values the machine's policy sets; a locked one cannot be changed here. */
    managed: Record<string, { value: number; locked: boolean }>
    /**
     * Values the trace engine runs with that differ from `values`: given when the app started (an
     * environment variable or a command-line option), they win over a saved value.
     */
    in_effect: Record<string, number>
    /** The update policy, when the machine's policy sets it. */
    updates: { enabled: boolean; locked: boolean } | null
    /**
     * Why the machine's policy file was ignored (who else may change it), why
     * `MES_TRACE_POLICY_FILE` was not honoured, or that the file's protection could not be
     * checked — sentences worded by main, in English; empty when all is well.
     */
    policy_warnings: string[]
  }
  'settings:set': { key: string; value: string | number | boolean | null }
  'app:version': { version: string }
  'app:data-dir': { path: string }
}

/** A channel's answer. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorData }

/** Events main pushes to subscribed renderers. */
export interface Events {
  /** A running job's progress (at most about 10 a second per job). */
  'jobs:did-progress': {
    job_id: string
    progress: TraceProgress
    /** Milliseconds the job has run. */
    elapsed_ms: number
    /** Estimated milliseconds left; absent before the events stage. */
    eta_ms?: number
  }
  /**
   * A job was created or changed (queued, started, ended, imported, a cancel asked for…): the whole
   * job as `jobs:status` would answer now, so a listener needs no call to show it, even one it has
   * not seen before.
   */
  'jobs:did-change-status': { job: JobView }
}
export type EventName = keyof Events
export const EVENT_NAMES: readonly EventName[] = ['jobs:did-progress', 'jobs:did-change-status']

/** The API the renderer sees as `window.api` (generated from the contract on both transports). */
export type Api = {
  invoke<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<Result<Responses[C]>>
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void
}

/**
 * At most `max` calls of a channel per client in any `windowMs`. Limits sit far above what a
 * person clicks and stop a renderer bug that loops (the original allowed 60 status and result
 * calls per 60 s per client; a desktop table pages faster than that).
 */
export interface RateLimit {
  max: number
  windowMs: number
}

/** Per-channel limits; channels not listed get {@link DEFAULT_RATE_LIMIT}. */
export const RATE_LIMITS: Partial<Record<Channel, RateLimit>> = {
  'jobs:enqueue': { max: 30, windowMs: 60_000 },
  'jobs:rerun': { max: 30, windowMs: 60_000 },
  'jobs:export': { max: 20, windowMs: 60_000 },
  'jobs:show-export': { max: 20, windowMs: 60_000 },
  'jobs:import': { max: 20, windowMs: 60_000 },
  // Reads two whole suspect lists.
  'results:diff': { max: 60, windowMs: 60_000 },
  // Draws charts and reads a few pages of lots per suspect.
  'results:report': { max: 20, windowMs: 60_000 },
  'sources:test': { max: 30, windowMs: 60_000 },
  'sources:set-password': { max: 30, windowMs: 60_000 },
  'sources:set-pushdown': { max: 30, windowMs: 60_000 },
  // Each may read the source (answers are cached a while in main).
  'sources:data-window': { max: 60, windowMs: 60_000 },
  'sources:loss-reasons': { max: 120, windowMs: 60_000 },
  'sources:machine-jobs': { max: 120, windowMs: 60_000 },
  'sources:job-transactions': { max: 120, windowMs: 60_000 },
  'sources:job-transactions-export': { max: 20, windowMs: 60_000 },
  // The equipment tab: each reads the source over up to the settings' machines and days.
  'equipment:machines': { max: 60, windowMs: 60_000 },
  'equipment:lots': { max: 300, windowMs: 60_000 },
  'equipment:jobs': { max: 60, windowMs: 60_000 },
  'equipment:rejects': { max: 60, windowMs: 60_000 },
  'equipment:timeline': { max: 60, windowMs: 60_000 },
  'equipment:export': { max: 20, windowMs: 60_000 },
}
export const DEFAULT_RATE_LIMIT: RateLimit = { max: 600, windowMs: 60_000 }

/** Validates `payload` against the channel's schema; `input/invalid` names the first bad field. */
export function parseRequest<C extends Channel>(channel: C, payload: unknown): z.output<(typeof REQUESTS)[C]> {
  const schema = REQUESTS[channel] as z.ZodType
  const parsed = schema.safeParse(payload ?? {})
  if (parsed.success) return parsed.data as z.output<(typeof REQUESTS)[C]>
  const issue = parsed.error.issues[0]!
  // An unknown key is named itself, so the message points at what to remove.
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path
  const field = path.length > 0 ? path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[') : 'payload'
  throw invalidInput(field, issue.code === 'unrecognized_keys' ? 'is not a field of this call' : issue.message, { channel })
}

/** Whether `name` is a channel of the contract (own property, not anything inherited). */
export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(REQUESTS, name)
}

/** The request as `normalizeTraceRequest` takes it. */
export type EnqueueRequest = TraceRequest
