/**
 * Writes the demo plant into a SQLite file in the shape of source-schema.md. The generator hands
 * it rows as positional tuples (column order of `SOURCE_TABLES`); it inserts them in batches with
 * prepared multi-row statements inside caller-sized transactions and creates the indexes once all data is in.
 */
import Database from 'better-sqlite3'
import { SOURCE_INDEXES, SOURCE_TABLES, sourceSchemaScript, sourceTable } from '../sources/index.js'

type Text = string | null
type Int = number | null

/** `DW_MES_CONTAINER` row. */
export type ContainerRow = [
  cid: string, name: string, mfgOrder: Text, objectType: Text, firstName: Text, splitFromId: Text,
  originalContainerId: Text, spec: Text, qty: Int, pjType: Text, pjBop: Text, pjFunction: Text, productName: Text,
  productLine: Text,
]

/** `DW_MES_LOTWIPHISTORY` row. */
export type WipHistoryRow = [
  cid: string, workcenter: Text, spec: Text, equipmentId: Text, equipmentName: Text, trackIn: Text, trackInQty: Int,
  trackOut: Text, trackOutQty: Int, finishedRunCard: Text, workOrder: Text,
]

/** `DW_MES_LOTREJECTHISTORY` row. */
export type RejectRow = [
  cid: string, workcenter: Text, spec: Text, equipmentName: Text, lossReason: Text, rejectQty: Int, standbyQty: Int,
  qtyToProcess: Int, inProcessQty: Int, processedQty: Int, defectQty: Int, txnDate: Text, comment: Text, mainLineId: Text,
]

/** `DW_MES_LOTMATERIALSHISTORY` row. */
export type MaterialRow = [
  cid: string, partName: Text, lotName: Text, description: Text, qtyConsumed: number | null, workcenter: Text,
  spec: Text, equipmentName: Text, txnDate: Text,
]

/** `DW_MES_HOLDRELEASEHISTORY` row. */
export type HoldRow = [
  cid: string, workcenter: Text, holdDate: Text, holdEmp: Text, holdDept: Text, holdReason: Text, holdComments: Text,
  releaseDate: Text, releaseEmp: Text, releaseComments: Text, ncrId: Text,
]

/** `DW_MES_JOB` row. */
export type JobRow = [
  jobId: string, resourceId: Text, resourceName: Text, status: Text, model: Text, orderName: Text, created: Text,
  completed: Text, cause: Text, repair: Text, symptom: Text, containerIds: Text, containerNames: Text,
]

/** `DW_MES_PJ_COMBINEDASSYLOTS` row. */
export type CombinedRow = [
  cid: string, name: Text, lotId: string, finishedName: Text, workOrder: Text, ratio: number | null, goodDieQty: Int,
  originalStartDate: Text,
]

/** `DW_MES_WIP` row. */
export type WipLotRow = [cid: string, workflow: Text, productLine: Text]

/** `DW_MES_RESOURCE` row, with the optional columns the equipment tab's production filter reads. */
export type ResourceRow = [
  resourceId: string, name: Text, workcenter: Text, family: Text, objectCategory: Text, objectType: Text, location: Text,
  assetStatus: Text,
]

/** `DW_MES_SPEC_WORKCENTER_V` row. */
export type SpecWorkcenterRow = [spec: Text, workCenter: Text, workCenterGroup: Text, sequence: Int]

/** `DW_MES_JOBTXNHISTORY` row. */
export type JobTxnRow = [
  txnId: string, jobId: string, txnDate: Text, fromStatus: Text, status: Text, stage: Text, toStage: Text, cause: Text,
  repair: Text, symptom: Text, userEmpNo: Text, userName: Text, empEmpNo: Text, empName: Text, comments: Text, cdoName: Text,
  model: Text, orderName: Text,
]

/** `DW_MES_RESOURCESTATUS_SHIFT` row. */
export type ShiftStatusRow = [resourceId: string, txnDate: Text, status: Text, hours: number | null]

/** Where generated rows go; one method per table. */
export interface DemoRowSink {
  container(row: ContainerRow): void
  wipHistory(row: WipHistoryRow): void
  reject(row: RejectRow): void
  material(row: MaterialRow): void
  hold(row: HoldRow): void
  job(row: JobRow): void
  combined(row: CombinedRow): void
  wipLot(row: WipLotRow): void
  resource(row: ResourceRow): void
  specWorkcenter(row: SpecWorkcenterRow): void
  jobTxn(row: JobTxnRow): void
  shiftStatus(row: ShiftStatusRow): void
}

/** Name of the extra table describing how the file was generated. */
export const DEMO_INFO_TABLE = 'MES_TRACE_DEMO_INFO'

/** Rows per multi-row INSERT: far fewer statement runs, and well below SQLite's parameter limit. */
const BATCH_ROWS = 64

/** The columns a generated table is written with: those the app reads, then its optional ones. */
function writtenColumns(table: string): readonly string[] {
  const spec = sourceTable(table)
  return [...spec.columns, ...(spec.optionalColumns ?? [])]
}

function insertSql(table: string, rows: number): string {
  const columns = writtenColumns(table)
  const tuple = `(${columns.map(() => '?').join(', ')})`
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => tuple).join(', ')}`
}

/** Inserts the rows of one table in batches of {@link BATCH_ROWS}, in the order they come. */
class BatchedInsert {
  private readonly width: number
  private readonly values: unknown[]
  private rows = 0
  private readonly one: Database.Statement<unknown[]>
  private readonly many: Database.Statement<unknown[]>
  /** Rows added so far. */
  count = 0

  constructor(db: Database.Database, table: string) {
    this.width = writtenColumns(table).length
    this.values = new Array<unknown>(this.width * BATCH_ROWS)
    this.one = db.prepare<unknown[]>(insertSql(table, 1))
    this.many = db.prepare<unknown[]>(insertSql(table, BATCH_ROWS))
  }

  add(row: readonly unknown[]): void {
    const base = this.rows * this.width
    for (let i = 0; i < this.width; i++) this.values[base + i] = row[i]
    this.count++
    if (++this.rows === BATCH_ROWS) {
      this.many.run(this.values)
      this.rows = 0
    }
  }

  /** Inserts the rows still buffered. */
  flush(): void {
    for (let r = 0; r < this.rows; r++) this.one.run(this.values.slice(r * this.width, (r + 1) * this.width))
    this.rows = 0
  }
}

/** A {@link DemoRowSink} over a new SQLite file, tuned for one fast bulk load. */
export class SqliteDemoWriter implements DemoRowSink {
  private readonly db: Database.Database
  private readonly inserts = new Map<string, BatchedInsert>()
  private readonly insertContainer: BatchedInsert
  private readonly insertWipHistory: BatchedInsert
  private readonly insertReject: BatchedInsert
  private readonly insertMaterial: BatchedInsert
  private readonly insertHold: BatchedInsert
  private readonly insertJob: BatchedInsert
  private readonly insertCombined: BatchedInsert
  private readonly insertWipLot: BatchedInsert
  private readonly insertResource: BatchedInsert
  private readonly insertSpec: BatchedInsert
  private readonly insertJobTxn: BatchedInsert
  private readonly insertShiftStatus: BatchedInsert

  /** Creates the file (which must not exist yet) with every source table, without indexes. */
  constructor(path: string) {
    this.db = new Database(path)
    // The file is private until renamed into place and is deleted on any failure, so durability
    // is worth nothing here: no journal, no fsync, one writer, a big page cache for the indexes.
    this.db.pragma('journal_mode = OFF')
    this.db.pragma('synchronous = OFF')
    this.db.pragma('locking_mode = EXCLUSIVE')
    this.db.pragma('temp_store = MEMORY')
    this.db.pragma('cache_size = -65536')
    this.db.exec(sourceSchemaScript({ withIndexes: false }))
    this.db.exec(`CREATE TABLE ${DEMO_INFO_TABLE} (KEY TEXT PRIMARY KEY, VALUE TEXT)`)
    const insert = (table: string): BatchedInsert => {
      const batched = new BatchedInsert(this.db, table)
      this.inserts.set(table, batched)
      return batched
    }
    this.insertContainer = insert('DW_MES_CONTAINER')
    this.insertWipHistory = insert('DW_MES_LOTWIPHISTORY')
    this.insertReject = insert('DW_MES_LOTREJECTHISTORY')
    this.insertMaterial = insert('DW_MES_LOTMATERIALSHISTORY')
    this.insertHold = insert('DW_MES_HOLDRELEASEHISTORY')
    this.insertJob = insert('DW_MES_JOB')
    this.insertCombined = insert('DW_MES_PJ_COMBINEDASSYLOTS')
    this.insertWipLot = insert('DW_MES_WIP')
    this.insertResource = insert('DW_MES_RESOURCE')
    this.insertSpec = insert('DW_MES_SPEC_WORKCENTER_V')
    this.insertJobTxn = insert('DW_MES_JOBTXNHISTORY')
    this.insertShiftStatus = insert('DW_MES_RESOURCESTATUS_SHIFT')
  }

  container(row: ContainerRow): void {
    this.insertContainer.add(row)
  }

  wipHistory(row: WipHistoryRow): void {
    this.insertWipHistory.add(row)
  }

  reject(row: RejectRow): void {
    this.insertReject.add(row)
  }

  material(row: MaterialRow): void {
    this.insertMaterial.add(row)
  }

  hold(row: HoldRow): void {
    this.insertHold.add(row)
  }

  job(row: JobRow): void {
    this.insertJob.add(row)
  }

  combined(row: CombinedRow): void {
    this.insertCombined.add(row)
  }

  wipLot(row: WipLotRow): void {
    this.insertWipLot.add(row)
  }

  resource(row: ResourceRow): void {
    this.insertResource.add(row)
  }

  specWorkcenter(row: SpecWorkcenterRow): void {
    this.insertSpec.add(row)
  }

  jobTxn(row: JobTxnRow): void {
    this.insertJobTxn.add(row)
  }

  shiftStatus(row: ShiftStatusRow): void {
    this.insertShiftStatus.add(row)
  }

  /**
   * Runs `fn` in one transaction (synchronous: nothing may be awaited inside); the rows it added
   * are all in the file when the transaction commits.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(() => {
      const result = fn()
      for (const batched of this.inserts.values()) batched.flush()
      return result
    })()
  }

  /** Row counts written so far, per source table (every table listed, zero included). */
  rowCounts(): Record<string, number> {
    const result: Record<string, number> = {}
    for (const table of SOURCE_TABLES) result[table.name] = this.inserts.get(table.name)?.count ?? 0
    return result
  }

  /** Writes the generation facts into {@link DEMO_INFO_TABLE}. */
  writeInfo(entries: Readonly<Record<string, string>>): void {
    const insert = this.db.prepare<[string, string]>(`INSERT INTO ${DEMO_INFO_TABLE} (KEY, VALUE) VALUES (?, ?)`)
    this.transaction(() => {
      for (const key of Object.keys(entries).sort()) insert.run(key, entries[key]!)
    })
  }

  /** Creates every index of the source contract, then gathers planner statistics. */
  finish(): void {
    for (const batched of this.inserts.values()) batched.flush()
    for (const statement of SOURCE_INDEXES) this.db.exec(statement)
    // Bounded ANALYZE: cheap, and it lets the planner of the app choose among the indexes.
    this.db.pragma('analysis_limit = 1000')
    this.db.exec('ANALYZE')
  }

  /** Closes the file. Idempotent. */
  close(): void {
    if (this.db.open) this.db.close()
  }
}
