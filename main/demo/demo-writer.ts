/**
 * Writes the demo plant into a SQLite file in the shape of source-schema.md. The generator hands
 * it rows as positional tuples (column order of `SOURCE_TABLES`); it inserts them with prepared
 * statements inside caller-sized transactions and creates the indexes once all data is in.
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

/** `DW_MES_RESOURCE` row. */
export type ResourceRow = [resourceId: string, name: Text, workcenter: Text, family: Text]

/** `DW_MES_SPEC_WORKCENTER_V` row. */
export type SpecWorkcenterRow = [spec: Text, workCenter: Text, workCenterGroup: Text, sequence: Int]

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
}

/** Name of the extra table describing how the file was generated. */
export const DEMO_INFO_TABLE = 'MES_TRACE_DEMO_INFO'

type Insert<Row extends unknown[]> = Database.Statement<Row>

function insertSql(table: string): string {
  const columns = sourceTable(table).columns
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`
}

/** A {@link DemoRowSink} over a new SQLite file, tuned for one fast bulk load. */
export class SqliteDemoWriter implements DemoRowSink {
  private readonly db: Database.Database
  private readonly counts = new Map<string, number>()
  private readonly insertContainer: Insert<ContainerRow>
  private readonly insertWipHistory: Insert<WipHistoryRow>
  private readonly insertReject: Insert<RejectRow>
  private readonly insertMaterial: Insert<MaterialRow>
  private readonly insertHold: Insert<HoldRow>
  private readonly insertJob: Insert<JobRow>
  private readonly insertCombined: Insert<CombinedRow>
  private readonly insertWipLot: Insert<WipLotRow>
  private readonly insertResource: Insert<ResourceRow>
  private readonly insertSpec: Insert<SpecWorkcenterRow>

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
    this.insertContainer = this.db.prepare<ContainerRow>(insertSql('DW_MES_CONTAINER'))
    this.insertWipHistory = this.db.prepare<WipHistoryRow>(insertSql('DW_MES_LOTWIPHISTORY'))
    this.insertReject = this.db.prepare<RejectRow>(insertSql('DW_MES_LOTREJECTHISTORY'))
    this.insertMaterial = this.db.prepare<MaterialRow>(insertSql('DW_MES_LOTMATERIALSHISTORY'))
    this.insertHold = this.db.prepare<HoldRow>(insertSql('DW_MES_HOLDRELEASEHISTORY'))
    this.insertJob = this.db.prepare<JobRow>(insertSql('DW_MES_JOB'))
    this.insertCombined = this.db.prepare<CombinedRow>(insertSql('DW_MES_PJ_COMBINEDASSYLOTS'))
    this.insertWipLot = this.db.prepare<WipLotRow>(insertSql('DW_MES_WIP'))
    this.insertResource = this.db.prepare<ResourceRow>(insertSql('DW_MES_RESOURCE'))
    this.insertSpec = this.db.prepare<SpecWorkcenterRow>(insertSql('DW_MES_SPEC_WORKCENTER_V'))
  }

  private count(table: string): void {
    this.counts.set(table, (this.counts.get(table) ?? 0) + 1)
  }

  container(row: ContainerRow): void {
    this.insertContainer.run(...row)
    this.count('DW_MES_CONTAINER')
  }

  wipHistory(row: WipHistoryRow): void {
    this.insertWipHistory.run(...row)
    this.count('DW_MES_LOTWIPHISTORY')
  }

  reject(row: RejectRow): void {
    this.insertReject.run(...row)
    this.count('DW_MES_LOTREJECTHISTORY')
  }

  material(row: MaterialRow): void {
    this.insertMaterial.run(...row)
    this.count('DW_MES_LOTMATERIALSHISTORY')
  }

  hold(row: HoldRow): void {
    this.insertHold.run(...row)
    this.count('DW_MES_HOLDRELEASEHISTORY')
  }

  job(row: JobRow): void {
    this.insertJob.run(...row)
    this.count('DW_MES_JOB')
  }

  combined(row: CombinedRow): void {
    this.insertCombined.run(...row)
    this.count('DW_MES_PJ_COMBINEDASSYLOTS')
  }

  wipLot(row: WipLotRow): void {
    this.insertWipLot.run(...row)
    this.count('DW_MES_WIP')
  }

  resource(row: ResourceRow): void {
    this.insertResource.run(...row)
    this.count('DW_MES_RESOURCE')
  }

  specWorkcenter(row: SpecWorkcenterRow): void {
    this.insertSpec.run(...row)
    this.count('DW_MES_SPEC_WORKCENTER_V')
  }

  /** Runs `fn` in one transaction (synchronous: nothing may be awaited inside). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)()
  }

  /** Row counts written so far, per source table (every table listed, zero included). */
  rowCounts(): Record<string, number> {
    const result: Record<string, number> = {}
    for (const table of SOURCE_TABLES) result[table.name] = this.counts.get(table.name) ?? 0
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
