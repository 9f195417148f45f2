/**
 * The MES source schema (source-schema.md): which tables and columns a source must have, the DDL
 * that generated sources (demo plant, test fixtures) use, and the indexes they create.
 *
 * The app itself never runs this DDL against a user's source: sources are opened read-only.
 */

/** A table of the source contract and the columns the app reads from it. */
export interface SourceTableSpec {
  readonly name: string
  readonly required: boolean
  /** Column names (upper case) the app reads. */
  readonly columns: readonly string[]
  /** SQLite DDL for generated sources. */
  readonly ddl: string
  /** What degrades when an optional table is missing (shown as a warning). */
  readonly degradesTo?: string
  /**
   * Optional columns (after `columns` in the DDL) that generated sources have and the app uses
   * only where a source has them; the schema check never asks for them.
   */
  readonly optionalColumns?: readonly string[]
}

export const SOURCE_TABLES: readonly SourceTableSpec[] = [
  {
    name: 'DW_MES_CONTAINER',
    required: true,
    columns: [
      'CONTAINERID', 'CONTAINERNAME', 'MFGORDERNAME', 'OBJECTTYPE', 'FIRSTNAME', 'SPLITFROMID',
      'ORIGINALCONTAINERID', 'SPECNAME', 'QTY', 'PJ_TYPE', 'PJ_BOP', 'PJ_FUNCTION', 'PRODUCTNAME',
      'PRODUCTLINENAME',
    ],
    ddl: `CREATE TABLE DW_MES_CONTAINER (
  CONTAINERID TEXT PRIMARY KEY, CONTAINERNAME TEXT NOT NULL, MFGORDERNAME TEXT, OBJECTTYPE TEXT,
  FIRSTNAME TEXT, SPLITFROMID TEXT, ORIGINALCONTAINERID TEXT, SPECNAME TEXT, QTY INTEGER,
  PJ_TYPE TEXT, PJ_BOP TEXT, PJ_FUNCTION TEXT, PRODUCTNAME TEXT, PRODUCTLINENAME TEXT)`,
  },
  {
    name: 'DW_MES_LOTWIPHISTORY',
    required: true,
    columns: [
      'CONTAINERID', 'WORKCENTERNAME', 'SPECNAME', 'EQUIPMENTID', 'EQUIPMENTNAME', 'TRACKINTIMESTAMP',
      'TRACKINQTY', 'TRACKOUTTIMESTAMP', 'TRACKOUTQTY', 'FINISHEDRUNCARD', 'PJ_WORKORDER',
    ],
    ddl: `CREATE TABLE DW_MES_LOTWIPHISTORY (
  CONTAINERID TEXT NOT NULL, WORKCENTERNAME TEXT, SPECNAME TEXT, EQUIPMENTID TEXT, EQUIPMENTNAME TEXT,
  TRACKINTIMESTAMP TEXT, TRACKINQTY INTEGER, TRACKOUTTIMESTAMP TEXT, TRACKOUTQTY INTEGER,
  FINISHEDRUNCARD TEXT, PJ_WORKORDER TEXT)`,
  },
  {
    name: 'DW_MES_LOTREJECTHISTORY',
    required: true,
    columns: [
      'CONTAINERID', 'WORKCENTERNAME', 'SPECNAME', 'EQUIPMENTNAME', 'LOSSREASONNAME', 'REJECTQTY',
      'STANDBYQTY', 'QTYTOPROCESS', 'INPROCESSQTY', 'PROCESSEDQTY', 'DEFECTQTY', 'TXNDATE',
      'REJECTCOMMENT', 'HISTORYMAINLINEID',
    ],
    ddl: `CREATE TABLE DW_MES_LOTREJECTHISTORY (
  CONTAINERID TEXT NOT NULL, WORKCENTERNAME TEXT, SPECNAME TEXT, EQUIPMENTNAME TEXT,
  LOSSREASONNAME TEXT, REJECTQTY INTEGER, STANDBYQTY INTEGER, QTYTOPROCESS INTEGER,
  INPROCESSQTY INTEGER, PROCESSEDQTY INTEGER, DEFECTQTY INTEGER, TXNDATE TEXT, REJECTCOMMENT TEXT,
  HISTORYMAINLINEID TEXT)`,
  },
  {
    name: 'DW_MES_LOTMATERIALSHISTORY',
    required: true,
    columns: [
      'CONTAINERID', 'MATERIALPARTNAME', 'MATERIALLOTNAME', 'DESCRIPTION', 'QTYCONSUMED',
      'WORKCENTERNAME', 'SPECNAME', 'EQUIPMENTNAME', 'TXNDATE',
    ],
    ddl: `CREATE TABLE DW_MES_LOTMATERIALSHISTORY (
  CONTAINERID TEXT NOT NULL, MATERIALPARTNAME TEXT, MATERIALLOTNAME TEXT, DESCRIPTION TEXT,
  QTYCONSUMED REAL, WORKCENTERNAME TEXT, SPECNAME TEXT, EQUIPMENTNAME TEXT, TXNDATE TEXT)`,
  },
  {
    name: 'DW_MES_HOLDRELEASEHISTORY',
    required: true,
    columns: [
      'CONTAINERID', 'WORKCENTERNAME', 'HOLDTXNDATE', 'HOLDEMP', 'HOLDEMPDEPTNAME', 'HOLDREASONNAME',
      'HOLDCOMMENTS', 'RELEASETXNDATE', 'RELEASEEMP', 'RELEASECOMMENTS', 'NCRID',
    ],
    ddl: `CREATE TABLE DW_MES_HOLDRELEASEHISTORY (
  CONTAINERID TEXT NOT NULL, WORKCENTERNAME TEXT, HOLDTXNDATE TEXT, HOLDEMP TEXT,
  HOLDEMPDEPTNAME TEXT, HOLDREASONNAME TEXT, HOLDCOMMENTS TEXT, RELEASETXNDATE TEXT,
  RELEASEEMP TEXT, RELEASECOMMENTS TEXT, NCRID TEXT)`,
  },
  {
    name: 'DW_MES_JOB',
    required: true,
    columns: [
      'JOBID', 'RESOURCEID', 'RESOURCENAME', 'JOBSTATUS', 'JOBMODELNAME', 'JOBORDERNAME', 'CREATEDATE',
      'COMPLETEDATE', 'CAUSECODENAME', 'REPAIRCODENAME', 'SYMPTOMCODENAME', 'CONTAINERIDS',
      'CONTAINERNAMES',
    ],
    ddl: `CREATE TABLE DW_MES_JOB (
  JOBID TEXT PRIMARY KEY, RESOURCEID TEXT, RESOURCENAME TEXT, JOBSTATUS TEXT, JOBMODELNAME TEXT,
  JOBORDERNAME TEXT, CREATEDATE TEXT, COMPLETEDATE TEXT, CAUSECODENAME TEXT, REPAIRCODENAME TEXT,
  SYMPTOMCODENAME TEXT, CONTAINERIDS TEXT, CONTAINERNAMES TEXT)`,
  },
  {
    name: 'DW_MES_PJ_COMBINEDASSYLOTS',
    required: true,
    columns: [
      'CONTAINERID', 'CONTAINERNAME', 'LOTID', 'FINISHEDNAME', 'PJ_WORKORDER', 'PJ_COMBINEDRATIO',
      'PJ_GOODDIEQTY', 'ORIGINALSTARTDATE',
    ],
    ddl: `CREATE TABLE DW_MES_PJ_COMBINEDASSYLOTS (
  CONTAINERID TEXT NOT NULL, CONTAINERNAME TEXT, LOTID TEXT NOT NULL, FINISHEDNAME TEXT,
  PJ_WORKORDER TEXT, PJ_COMBINEDRATIO REAL, PJ_GOODDIEQTY INTEGER, ORIGINALSTARTDATE TEXT)`,
  },
  {
    name: 'DW_MES_WIP',
    required: false,
    columns: ['CONTAINERID', 'WORKFLOWNAME', 'PRODUCTLINENAME'],
    ddl: `CREATE TABLE DW_MES_WIP (CONTAINERID TEXT NOT NULL, WORKFLOWNAME TEXT, PRODUCTLINENAME TEXT)`,
    degradesTo: 'the MSD workflow falls back to the detection SPECNAME',
  },
  {
    name: 'DW_MES_RESOURCE',
    required: false,
    columns: ['RESOURCEID', 'RESOURCENAME', 'WORKCENTERNAME', 'RESOURCEFAMILYNAME'],
    optionalColumns: ['OBJECTCATEGORY', 'OBJECTTYPE', 'LOCATIONNAME', 'PJ_ASSETSSTATUS'],
    ddl: `CREATE TABLE DW_MES_RESOURCE (RESOURCEID TEXT PRIMARY KEY, RESOURCENAME TEXT,
  WORKCENTERNAME TEXT, RESOURCEFAMILYNAME TEXT, OBJECTCATEGORY TEXT, OBJECTTYPE TEXT, LOCATIONNAME TEXT,
  PJ_ASSETSSTATUS TEXT)`,
    degradesTo: 'machine families are shown as (未知)',
  },
  {
    name: 'DW_MES_SPEC_WORKCENTER_V',
    required: false,
    columns: ['SPEC', 'WORK_CENTER', 'WORK_CENTER_GROUP', 'WORKCENTERSEQUENCE_GROUP'],
    ddl: `CREATE TABLE DW_MES_SPEC_WORKCENTER_V (SPEC TEXT, WORK_CENTER TEXT, WORK_CENTER_GROUP TEXT,
  WORKCENTERSEQUENCE_GROUP INTEGER)`,
    degradesTo: 'history and rejects are grouped by the substring rules of the 12 station groups',
  },
  {
    name: 'DW_MES_JOBTXNHISTORY',
    required: false,
    columns: [
      'JOBTXNHISTORYID', 'JOBID', 'TXNDATE', 'FROMJOBSTATUS', 'JOBSTATUS', 'STAGENAME', 'TOSTAGENAME',
      'CAUSECODENAME', 'REPAIRCODENAME', 'SYMPTOMCODENAME', 'USER_EMPNO', 'USER_NAME', 'EMP_EMPNO', 'EMP_NAME',
      'COMMENTS', 'CDONAME', 'JOBMODELNAME', 'JOBORDERNAME',
    ],
    ddl: `CREATE TABLE DW_MES_JOBTXNHISTORY (JOBTXNHISTORYID TEXT, JOBID TEXT NOT NULL, TXNDATE TEXT,
  FROMJOBSTATUS TEXT, JOBSTATUS TEXT, STAGENAME TEXT, TOSTAGENAME TEXT, CAUSECODENAME TEXT,
  REPAIRCODENAME TEXT, SYMPTOMCODENAME TEXT, USER_EMPNO TEXT, USER_NAME TEXT, EMP_EMPNO TEXT,
  EMP_NAME TEXT, COMMENTS TEXT, CDONAME TEXT, JOBMODELNAME TEXT, JOBORDERNAME TEXT)`,
    degradesTo: 'repair jobs show without their transactions (no drill-down, no transactions in their exports)',
  },
  {
    name: 'DW_MES_RESOURCESTATUS_SHIFT',
    required: false,
    columns: ['HISTORYID', 'TXNDATE', 'NEWSTATUSNAME', 'HOURS'],
    ddl: `CREATE TABLE DW_MES_RESOURCESTATUS_SHIFT (HISTORYID TEXT NOT NULL, TXNDATE TEXT,
  NEWSTATUSNAME TEXT, HOURS REAL)`,
    degradesTo: 'the equipment timeline has no status lane and there are no status hours (PRD/SBY/UDT/SDT/EGT/NST) per machine',
  },
]

/** Indexes a generated source creates (a source without them still works, only slower). */
export const SOURCE_INDEXES: readonly string[] = [
  'CREATE INDEX ix_container_split ON DW_MES_CONTAINER(SPLITFROMID)',
  'CREATE INDEX ix_container_name ON DW_MES_CONTAINER(CONTAINERNAME)',
  'CREATE INDEX ix_container_first ON DW_MES_CONTAINER(FIRSTNAME)',
  'CREATE INDEX ix_container_order ON DW_MES_CONTAINER(MFGORDERNAME)',
  'CREATE INDEX ix_container_orig ON DW_MES_CONTAINER(ORIGINALCONTAINERID)',
  'CREATE INDEX ix_wip_cid ON DW_MES_LOTWIPHISTORY(CONTAINERID)',
  'CREATE INDEX ix_wip_wc_trackin ON DW_MES_LOTWIPHISTORY(WORKCENTERNAME, TRACKINTIMESTAMP)',
  'CREATE INDEX ix_reject_cid ON DW_MES_LOTREJECTHISTORY(CONTAINERID)',
  'CREATE INDEX ix_reject_wc_txn ON DW_MES_LOTREJECTHISTORY(WORKCENTERNAME, TXNDATE)',
  'CREATE INDEX ix_material_cid ON DW_MES_LOTMATERIALSHISTORY(CONTAINERID)',
  'CREATE INDEX ix_hold_cid ON DW_MES_HOLDRELEASEHISTORY(CONTAINERID)',
  'CREATE INDEX ix_combined_lot ON DW_MES_PJ_COMBINEDASSYLOTS(LOTID)',
  'CREATE INDEX ix_combined_src ON DW_MES_PJ_COMBINEDASSYLOTS(CONTAINERID)',
  'CREATE INDEX ix_combined_serial ON DW_MES_PJ_COMBINEDASSYLOTS(FINISHEDNAME)',
  'CREATE INDEX ix_job_resource ON DW_MES_JOB(RESOURCEID, CREATEDATE)',
  'CREATE INDEX ix_jobtxn_job ON DW_MES_JOBTXNHISTORY(JOBID, TXNDATE)',
  'CREATE INDEX ix_status_machine ON DW_MES_RESOURCESTATUS_SHIFT(HISTORYID, TXNDATE)',
  'CREATE INDEX ix_wip_equipment ON DW_MES_LOTWIPHISTORY(EQUIPMENTID, TRACKINTIMESTAMP)',
  // The equipment tab's scrap view: the reject table names a machine only by its name.
  'CREATE INDEX ix_reject_equipment ON DW_MES_LOTREJECTHISTORY(EQUIPMENTNAME, TXNDATE)',
  // The MSD detection step reads each detection lot's workflow by CID, a batch at a time.
  'CREATE INDEX ix_current_wip_cid ON DW_MES_WIP(CONTAINERID)',
]

/** Looks a table spec up by name. */
export function sourceTable(name: string): SourceTableSpec {
  const spec = SOURCE_TABLES.find((t) => t.name === name)
  if (!spec) throw new Error(`unknown source table ${name}`)
  return spec
}

/** The full DDL (tables, then indexes) of a generated SQLite source, as one script. */
export function sourceSchemaScript(options: { withIndexes?: boolean; tables?: readonly string[] } = {}): string {
  const tables = options.tables ? SOURCE_TABLES.filter((t) => options.tables!.includes(t.name)) : SOURCE_TABLES
  const statements = tables.map((t) => t.ddl)
  if (options.withIndexes ?? true) {
    const names = new Set(tables.map((t) => t.name))
    statements.push(...SOURCE_INDEXES.filter((ix) => [...names].some((n) => ix.includes(` ON ${n}(`))))
  }
  return statements.join(';\n') + ';\n'
}
