import { describe, expect, it } from 'vitest'
import {
  JOB_ACTION_COLUMN,
  plainCell,
  repairJobOf,
  statusTone,
  transactionCell,
  transactionUser,
  withJobAction,
} from '../../../renderer/src/job-transactions'

describe('statusTone', () => {
  it('picks the tone by case-insensitive substring, success first (original-ui.md §3.2)', () => {
    expect(['Complete', 'DONE', 'Closed', 'finished', 'Job completed'].map(statusTone)).toEqual(['success', 'success', 'success', 'success', 'success'])
    expect(['Open', 'pending', 'In Queue', 'Waiting', 'ON HOLD', 'in progress'].map(statusTone)).toEqual(['warning', 'warning', 'warning', 'warning', 'warning', 'warning'])
    expect(['Cancelled', 'Aborted', 'FAILED', 'error'].map(statusTone)).toEqual(['danger', 'danger', 'danger', 'danger'])
    // "Reopened" holds "open" only; "Closed" is not "open" (no "open" in it); the first family wins.
    expect(statusTone('Reopened')).toBe('warning')
    expect(statusTone('Completed with error')).toBe('success')
    // The plant writes "in progress" without the space (or with `_`): still in progress.
    expect(['InProgress', 'IN_PROGRESS', 'in-progress', 'On Hold'].map(statusTone)).toEqual(['warning', 'warning', 'warning', 'warning'])
  })

  it('is neutral for anything else, empty or not text', () => {
    expect(['Created', 'Assigned', '', '  ', null, undefined, 42].map(statusTone)).toEqual(['neutral', 'neutral', 'neutral', 'neutral', 'neutral', 'neutral', 'neutral'])
  })
})

describe('transaction cells', () => {
  it('names the person by USER_NAME, else EMP_NAME', () => {
    expect(transactionUser({ USER_NAME: '王小明', EMP_NAME: '李大華' })).toBe('王小明')
    expect(transactionUser({ USER_NAME: '  ', EMP_NAME: '李大華' })).toBe('李大華')
    expect(transactionUser({ USER_NAME: null, EMP_NAME: null })).toBe('')
    expect(transactionCell({ USER_NAME: null, EMP_NAME: 'E-9' }, 'USER')).toBe('E-9')
  })

  it('reads a time as YYYY-MM-DD HH:MM:SS and other values as trimmed text', () => {
    expect(transactionCell({ TXNDATE: '2026-10-24T06:24:00.000' }, 'TXNDATE')).toBe('2026-10-24 06:24:00')
    expect(transactionCell({ TXNDATE: '2026-10-24 06:24:00' }, 'TXNDATE')).toBe('2026-10-24 06:24:00')
    expect(transactionCell({ STAGENAME: ' Repair ' }, 'STAGENAME')).toBe('Repair')
    expect(transactionCell({ COMMENTS: null }, 'COMMENTS')).toBe('')
  })
})

describe('the jobs table action column', () => {
  const lot = { key: 'CONTAINERNAME', label: 'LOT ID', frozen: true }
  const job = { key: 'JOBID', label: 'Job ID' }

  it('goes right after the job ID (else the frozen lot column), and is neither sortable nor filterable', () => {
    const matched = { key: 'MATCHED_BY', label: 'Matched by' }
    const columns = withJobAction([lot, matched, job, { key: 'RESOURCENAME' }], 'Actions', 'Opens the transactions')
    expect(columns.map((c) => c.key)).toEqual(['CONTAINERNAME', 'MATCHED_BY', 'JOBID', JOB_ACTION_COLUMN, 'RESOURCENAME'])
    expect(columns[3]).toMatchObject({ label: 'Actions', title: 'Opens the transactions', sortable: false, filterable: false })
    expect(withJobAction([lot, matched], 'Actions').map((c) => c.key)).toEqual(['CONTAINERNAME', JOB_ACTION_COLUMN, 'MATCHED_BY'])
    expect(withJobAction([matched], 'Actions').map((c) => c.key)).toEqual([JOB_ACTION_COLUMN, 'MATCHED_BY'])
  })

  it('draws a plain cell as the table would, and names the row’s job', () => {
    expect(plainCell({ JOBID: 'JOB-1' }, job)).toBe('JOB-1')
    expect(plainCell({ QTY: 3 }, { key: 'QTY', text: (r) => `${r.QTY} pcs` })).toBe('3 pcs')
    expect(plainCell(undefined, job)).toBe('')
    expect(repairJobOf({ JOBID: ' JOB-7 ' })).toBe('JOB-7')
    expect(repairJobOf({ JOBID: '' })).toBeNull()
    expect(repairJobOf(undefined)).toBeNull()
  })
})
