/** Messages of the virtualized table. */
import type { AreaMessages } from './types'

export const table: AreaMessages = {
  'zh-TW': {
    label: '資料列',
    status: {
      rows: '第 {from}–{to} 列，共 {total} 列',
      empty: '沒有資料列',
      loading: '載入中…',
      latency: '分頁 {ms} ms',
      selected: '已選取 {count} 列',
    },
    sort: {
      hint: '依 {column} 排序（遞增 → 遞減 → 不排序）',
    },
    filter: {
      label: '篩選 {column}',
      numberHint: '>=5、<=5、=5 或數字',
      textHint: '包含…（=文字 為完全相符）',
      invalid: '篩選條件無效：請輸入 >=5、<=5、=5 或一個數字',
    },
    columns: {
      button: '欄位',
      menu: '顯示的欄位',
    },
    copy: {
      button: '複製',
      done: '已複製 {count} 列',
      nothing: '請先選取要複製的資料列。',
      tooMany: '選取的資料列太多（{count} 列），一次最多複製 {max} 列；請改用匯出。',
      unavailable: '此處無法使用剪貼簿；請改用匯出結果。',
      failed: '複製失敗：{message}',
      changed: '排序或篩選已變更，請重新選取。',
    },
    error: {
      title: '無法載入資料列',
      retry: '重試',
    },
  },
  en: {
    label: 'Rows',
    status: {
      rows: 'Rows {from}–{to} of {total}',
      empty: 'No rows',
      loading: 'Loading…',
      latency: 'page {ms} ms',
      selected: '{count} selected',
    },
    sort: {
      hint: 'Sort by {column} (ascending → descending → unsorted)',
    },
    filter: {
      label: 'Filter {column}',
      numberHint: '>=5, <=5, =5 or a number',
      textHint: 'contains… (=text for exact)',
      invalid: 'Not a valid filter: type >=5, <=5, =5 or a number',
    },
    columns: {
      button: 'Columns',
      menu: 'Shown columns',
    },
    copy: {
      button: 'Copy',
      done: 'Copied {count} rows',
      nothing: 'Select the rows to copy first.',
      tooMany: 'Too many rows selected ({count}); one copy takes at most {max}. Export the result instead.',
      unavailable: 'The clipboard is not available here; export the result instead.',
      failed: 'Copying failed: {message}',
      changed: 'the sort or filter changed; select the rows again.',
    },
    error: {
      title: 'The rows could not be loaded',
      retry: 'Retry',
    },
  },
}
