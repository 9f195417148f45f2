/**
 * The schema check on the two optional machine tables (source-schema.md): a source without them
 * opens with a warning naming each and what degrades; with them they count as optional tables
 * present; a missing column is named as such.
 */
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { SOURCE_INDEXES, SOURCE_TABLES, openSource, parseSourceSpec, sourceTable } from '../../../main/sources/index.js'
import { createFixtureSource } from '../../fixtures/source-fixture.js'

const MACHINE_TABLES = ['DW_MES_JOBTXNHISTORY', 'DW_MES_RESOURCESTATUS_SHIFT']

describe('the optional machine tables in the schema check', () => {
  it('are optional, with the columns and indexes of source-schema.md', () => {
    expect(sourceTable('DW_MES_JOBTXNHISTORY')).toMatchObject({
      required: false,
      columns: [
        'JOBTXNHISTORYID', 'JOBID', 'TXNDATE', 'FROMJOBSTATUS', 'JOBSTATUS', 'STAGENAME', 'TOSTAGENAME', 'CAUSECODENAME',
        'REPAIRCODENAME', 'SYMPTOMCODENAME', 'USER_EMPNO', 'USER_NAME', 'EMP_EMPNO', 'EMP_NAME', 'COMMENTS', 'CDONAME',
        'JOBMODELNAME', 'JOBORDERNAME',
      ],
    })
    expect(sourceTable('DW_MES_RESOURCESTATUS_SHIFT')).toMatchObject({ required: false, columns: ['HISTORYID', 'TXNDATE', 'NEWSTATUSNAME', 'HOURS'] })
    expect(SOURCE_INDEXES).toContain('CREATE INDEX ix_jobtxn_job ON DW_MES_JOBTXNHISTORY(JOBID, TXNDATE)')
    expect(SOURCE_INDEXES).toContain('CREATE INDEX ix_status_machine ON DW_MES_RESOURCESTATUS_SHIFT(HISTORYID, TXNDATE)')
    expect(SOURCE_INDEXES).toContain('CREATE INDEX ix_wip_equipment ON DW_MES_LOTWIPHISTORY(EQUIPMENTID, TRACKINTIMESTAMP)')
  })

  it('warns about each missing table, saying what degrades, and still opens the source', async () => {
    const tables = SOURCE_TABLES.map((t) => t.name).filter((n) => !MACHINE_TABLES.includes(n))
    const fixture = await createFixtureSource({}, { tables })
    await fixture.source.close()
    try {
      const { source, schema } = await openSource(parseSourceSpec(`sqlite:${fixture.path}`))
      await source.close()
      expect(schema.missingRequired).toEqual([])
      expect(schema.missingOptional).toEqual(MACHINE_TABLES)
      expect(schema.warnings).toEqual([
        'DW_MES_JOBTXNHISTORY missing: repair jobs show without their transactions (no drill-down, no transactions in their exports).',
        'DW_MES_RESOURCESTATUS_SHIFT missing: the equipment timeline has no status lane and there are no status hours (PRD/SBY/UDT/SDT/EGT/NST) per machine.',
      ])
      expect(schema.optionalTables).not.toContain('DW_MES_JOBTXNHISTORY')
    } finally {
      await fixture.cleanup()
    }
  })

  it('names a missing column of a present table, and counts complete tables as present', async () => {
    const fixture = await createFixtureSource({})
    await fixture.source.close()
    const db = new Database(fixture.path)
    db.exec('DROP TABLE DW_MES_RESOURCESTATUS_SHIFT; CREATE TABLE DW_MES_RESOURCESTATUS_SHIFT (HISTORYID TEXT, TXNDATE TEXT, HOURS REAL)')
    db.close()
    try {
      const { source, schema } = await openSource(parseSourceSpec(`sqlite:${fixture.path}`))
      await source.close()
      expect(schema.missingOptional).toEqual(['DW_MES_RESOURCESTATUS_SHIFT.NEWSTATUSNAME'])
      expect(schema.warnings[0]).toMatch(/^DW_MES_RESOURCESTATUS_SHIFT\.NEWSTATUSNAME missing: the equipment timeline has no status lane/)
      expect(schema.optionalTables).toContain('DW_MES_JOBTXNHISTORY')
      expect(schema.optionalTables).not.toContain('DW_MES_RESOURCESTATUS_SHIFT')
    } finally {
      await fixture.cleanup()
    }
  })
})
