/**
 * Independent SQL over a generated demo plant: table fingerprints, lineage and reject rates.
 * Written from the source contract only (source-schema.md), never from the generator's code.
 */
import { createHash } from 'node:crypto'
import Database from 'better-sqlite3'
import { stationGroupOf } from '../../../shared/stations.js'

/** Opens a demo file read-only, with `station_group(workcenter)` from shared/stations.ts. */
export function openDemo(path: string): Database.Database {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  db.function('station_group', { deterministic: true }, (wc: unknown) => stationGroupOf(typeof wc === 'string' ? wc : null)?.name ?? null)
  return db
}

/** Column names of a table, in table order. */
export function columnsOf(db: Database.Database, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name)
}

/** User tables of the file, sorted. */
export function tablesOf(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[])
    .map((t) => t.name)
}

/** SHA-256 of a table's rows ordered by every column (independent of insertion order). */
export function tableHash(db: Database.Database, table: string): string {
  const columns = columnsOf(db, table)
  const hash = createHash('sha256')
  for (const row of db.prepare(`SELECT * FROM ${table} ORDER BY ${columns.join(', ')}`).raw().iterate()) {
    hash.update(JSON.stringify(row))
    hash.update('\n')
  }
  return hash.digest('hex')
}

/** One number from a query. */
export function scalar(db: Database.Database, sql: string, ...params: unknown[]): number {
  const row = db.prepare(sql).raw().get(...params) as unknown[] | undefined
  return Number(row?.[0] ?? 0)
}

/**
 * Creates `temp.lineage(cid, anc)`: every container with itself and its ancestors through
 * splits (SPLITFROMID) and combining (the sources of a combined lot), cycle-safe by UNION and
 * at most 20 levels deep, as the tracer caps it.
 */
export function createLineage(db: Database.Database): void {
  db.exec(`
    CREATE TEMP TABLE IF NOT EXISTS lineage AS
    WITH RECURSIVE a(cid, anc, depth) AS (
      SELECT CONTAINERID, CONTAINERID, 0 FROM DW_MES_CONTAINER
      UNION
      SELECT a.cid, c.SPLITFROMID, a.depth + 1 FROM a JOIN DW_MES_CONTAINER c ON c.CONTAINERID = a.anc
      WHERE c.SPLITFROMID IS NOT NULL AND a.depth < 20
      UNION
      SELECT a.cid, m.CONTAINERID, a.depth + 1 FROM a JOIN DW_MES_PJ_COMBINEDASSYLOTS m ON m.LOTID = a.anc
      WHERE a.depth < 20)
    SELECT DISTINCT cid, anc FROM a;
    CREATE INDEX IF NOT EXISTS temp.ix_lineage_anc ON lineage(anc);
    CREATE INDEX IF NOT EXISTS temp.ix_lineage_cid ON lineage(cid);
  `)
}

/** Reject rate at a station group for lots in / not in a CID set. */
export interface GroupRates {
  flaggedLots: number
  flaggedRate: number
  restLots: number
  restRate: number
}

/**
 * Reject rate at a station group: six reject fields over the session input (the largest
 * TRACKINQTY of each track-in, since partial track-outs store the remaining qty), for the
 * lots selected by `flaggedSql` (a query returning CIDs) against every other lot.
 */
export function groupRates(db: Database.Database, group: string, flaggedSql: string, ...params: unknown[]): GroupRates {
  const rows = db
    .prepare(
      `WITH sessions AS (
         SELECT CONTAINERID AS cid, MAX(TRACKINQTY) AS qty FROM DW_MES_LOTWIPHISTORY
         WHERE station_group(WORKCENTERNAME) = ? AND EQUIPMENTID IS NOT NULL
         GROUP BY CONTAINERID, TRACKINTIMESTAMP),
       input AS (SELECT cid, SUM(qty) AS qty FROM sessions GROUP BY cid),
       rejected AS (
         SELECT CONTAINERID AS cid,
                SUM(REJECTQTY + STANDBYQTY + QTYTOPROCESS + INPROCESSQTY + PROCESSEDQTY + DEFECTQTY) AS qty
         FROM DW_MES_LOTREJECTHISTORY WHERE station_group(WORKCENTERNAME) = ? GROUP BY CONTAINERID),
       flagged AS (${flaggedSql})
       SELECT input.cid IN (SELECT * FROM flagged) AS isFlagged, COUNT(*) AS lots, SUM(input.qty) AS qtyIn,
              SUM(COALESCE(rejected.qty, 0)) AS qtyOut
       FROM input LEFT JOIN rejected USING (cid) GROUP BY isFlagged`,
    )
    .all(group, group, ...params) as { isFlagged: number; lots: number; qtyIn: number; qtyOut: number }[]
  const flagged = rows.find((r) => r.isFlagged === 1)
  const rest = rows.find((r) => r.isFlagged === 0)
  return {
    flaggedLots: flagged?.lots ?? 0,
    flaggedRate: flagged ? flagged.qtyOut / flagged.qtyIn : 0,
    restLots: rest?.lots ?? 0,
    restRate: rest ? rest.qtyOut / rest.qtyIn : 0,
  }
}
