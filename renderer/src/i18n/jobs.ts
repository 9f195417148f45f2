/** Messages of the repair-jobs tab of a result: a job's transactions and the export with them. */
import type { AreaMessages } from './types'

export const jobs: AreaMessages = {
  'zh-TW': {
    action: {
      column: '操作',
      open: '查看交易歷程',
      openLabel: '查看維修單 {job} 的交易歷程',
      hint: '每列的「查看交易歷程」（或選取列後按 Enter）在表格下方開啟該維修單的交易歷程',
    },
    txn: {
      title: '交易歷程：{job}',
      count: '{n} 筆',
      loading: '載入交易歷程中...',
      empty: '無交易歷程資料',
      error: '載入交易歷程失敗',
      missingTable: '資料來源沒有 {table} 資料表，無法顯示維修單的交易歷程。',
      unreachable: '此結果的資料來源不是本機已儲存的來源（或目前無法連線），無法讀取交易歷程。',
      close: '關閉交易歷程',
      col: {
        TXNDATE: '交易時間',
        FROMJOBSTATUS: '原狀態',
        JOBSTATUS: '新狀態',
        STAGENAME: '階段',
        CAUSECODENAME: '原因碼',
        REPAIRCODENAME: '維修碼',
        USER: '人員',
        COMMENTS: '備註',
      },
    },
    export: {
      label: '匯出維修單與交易歷程',
      run: '維修 匯出（含交易歷程）',
      hint: '每筆維修單的每筆交易一列；沒有交易的維修單保留一列',
    },
  },
  en: {
    action: {
      column: 'Actions',
      open: 'Transactions',
      openLabel: 'Show the transactions of repair job {job}',
      hint: 'A row’s “Transactions” (or Enter on a selected row) opens that job’s transactions below the table',
    },
    txn: {
      title: 'Transactions: {job}',
      count: 'no rows | {n} row | {n} rows',
      loading: 'Loading transactions…',
      empty: 'This job has no transactions.',
      error: 'Could not load the transactions.',
      missingTable: 'The source has no {table} table, so a repair job’s transactions cannot be shown.',
      unreachable: 'This result’s source is not a saved source here (or cannot be reached now), so its transactions cannot be read.',
      close: 'Close the transactions',
      col: {
        TXNDATE: 'Time',
        FROMJOBSTATUS: 'From status',
        JOBSTATUS: 'To status',
        STAGENAME: 'Stage',
        CAUSECODENAME: 'Cause',
        REPAIRCODENAME: 'Repair',
        USER: 'User',
        COMMENTS: 'Comments',
      },
    },
    export: {
      label: 'Export repair jobs with their transactions',
      run: 'Export with transactions',
      hint: 'One row per job and transaction; a job without transactions keeps one row',
    },
  },
}
