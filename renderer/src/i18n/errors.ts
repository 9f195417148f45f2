/**
 * Every error code of shared/errors.ts in both languages. The main side words its messages in
 * English for logs and the command line; a person reads what went wrong in their own language,
 * and the original text stays in a detail line (for IT, and for a search of the logs).
 *
 * The table is typed by `ErrorCode`: a code added without its text does not compile, and the
 * unit test reads the code list of shared/errors.ts to check both languages.
 */
import type { ErrorCode } from '../../../shared/errors'
import { ownValue } from '../../../shared/own-keys'
import type { Locale } from './types'

type Text = Readonly<Record<Locale, string>>

/** What each code means for the person who met it, and what to do. */
export const ERROR_TEXT: Readonly<Record<ErrorCode, Text>> = {
  'input/invalid': { 'zh-TW': '輸入的值不正確，請檢查後再試。', en: 'A value you entered is not valid; check it and try again.' },
  'input/rate-limited': { 'zh-TW': '操作太頻繁，請稍候再試。', en: 'Too many requests in a short time; wait a moment and try again.' },
  'source/schema': { 'zh-TW': '資料來源缺少追溯所需的資料表或欄位。', en: 'The data source lacks a table or column the trace needs.' },
  'source/unreachable': {
    'zh-TW': '無法連線或開啟資料來源，請到「設定與資料來源」測試連線。',
    en: 'The data source cannot be reached or opened; test the connection in Settings & sources.',
  },
  'source/query-failed': { 'zh-TW': '資料來源的查詢失敗。', en: 'A query on the data source failed.' },
  'source/timeout': { 'zh-TW': '資料來源的查詢逾時，已停止。', en: 'A query on the data source took too long and was stopped.' },
  'trace/cancelled': { 'zh-TW': '追溯已取消。', en: 'The trace was cancelled.' },
  'trace/seed-failed': { 'zh-TW': '無法解析輸入的批次。', en: 'The lots you entered could not be resolved.' },
  'trace/lineage-failed': { 'zh-TW': '血緣追溯失敗。', en: 'The genealogy could not be traced.' },
  'trace/analysis-failed': { 'zh-TW': '製程不良分析失敗。', en: 'The mid-section defect analysis failed.' },
  'storage/write-failed': { 'zh-TW': '無法寫入檔案。', en: 'A file could not be written.' },
  'storage/full': { 'zh-TW': '磁碟空間（或結果檔大小上限）已滿，結果未保存。', en: 'The disk (or the size limit of a result) is full; the result was not kept.' },
  'storage/unreadable': { 'zh-TW': '結果檔或工作目錄檔遺失或已損壞。', en: 'A result or catalog file is missing or damaged.' },
  'storage/incompatible': {
    'zh-TW': '此檔案由較新版本的 MES Trace 產生，請更新程式後再開啟。',
    en: 'This file was written by a newer version of MES Trace; update the app to open it.',
  },
  'import/invalid': { 'zh-TW': '此檔案不是 MES Trace 的結果檔，或已損壞。', en: 'This file is not a result file of MES Trace, or it is damaged.' },
  'export/refused': { 'zh-TW': '匯出被拒絕：不允許寫入此檔案。', en: 'The export was refused: that file may not be written.' },
  'job/not-found': { 'zh-TW': '找不到此追溯（已過期或已刪除）。', en: 'This trace no longer exists (expired or deleted).' },
  'job/interrupted': { 'zh-TW': '程式或電腦停止，追溯已中斷；請重新執行。', en: 'The trace was interrupted when the app or the computer stopped; run it again.' },
  'worker/crashed': { 'zh-TW': '追溯的工作程序意外結束；請重新執行。', en: 'The trace’s worker process stopped unexpectedly; run it again.' },
  'worker/memory-limit': {
    'zh-TW': '追溯超過記憶體上限。請縮小查詢範圍，或在設定中提高記憶體上限。',
    en: 'The trace needed more memory than allowed. Narrow the request, or raise the memory limit in Settings.',
  },
  'worker/init-failed': { 'zh-TW': '追溯的工作程序無法啟動。', en: 'The trace’s worker process could not start.' },
  'worker/protocol': { 'zh-TW': '追溯的工作程序回傳了無法辨識的訊息。', en: 'The trace’s worker process sent a message the app does not understand.' },
  'job/timeout': { 'zh-TW': '追溯超過時間上限，已停止。', en: 'The trace ran longer than its time limit and was stopped.' },
  'job/not-finished': { 'zh-TW': '此追溯尚未完成。', en: 'This trace has not finished yet.' },
  'job/engine-stopped': { 'zh-TW': '程式正在關閉，不接受新的追溯。', en: 'The app is shutting down and takes no new traces.' },
  'policy/invalid': { 'zh-TW': 'IT 管理的設定有問題，請通知 IT。', en: 'The settings managed by IT have a problem; please tell IT.' },
  'policy/locked': { 'zh-TW': '此值由 IT 鎖定，無法在此變更。', en: 'This value is locked by IT and cannot be changed here.' },
  'ipc/forbidden': { 'zh-TW': '呼叫被拒絕：來源不是本程式的視窗。', en: 'The call was refused: it did not come from the app’s own window.' },
  'ipc/too-large': { 'zh-TW': '回應資料過大，無法傳送；請縮小範圍。', en: 'The answer was too large to send; narrow the request.' },
  'ipc/timeout': { 'zh-TW': '等待回應逾時（作業可能仍在進行），請再試一次。', en: 'No answer came in time (the work may still finish); try again.' },
  'internal/unexpected': { 'zh-TW': '發生未預期的錯誤。', en: 'Something unexpected went wrong.' },
}

/** `input/invalid` naming its field: the field as the form calls it. */
const INVALID_FIELD: Text = { 'zh-TW': '輸入不正確：{field}。', en: 'Not a valid entry: {field}.' }

/** Fields a request names (`details.field`), as the forms label them; others are shown as named. */
export const FIELD_LABELS: Readonly<Record<string, Text>> = {
  'params.values': { 'zh-TW': '查詢值', en: 'values' },
  'params.resolve_type': { 'zh-TW': '輸入類型', en: 'input type' },
  'params.station': { 'zh-TW': '偵測站', en: 'detection station' },
  'params.start_date': { 'zh-TW': '開始日期', en: 'start date' },
  'params.end_date': { 'zh-TW': '結束日期', en: 'end date' },
  'params.loss_reasons': { 'zh-TW': '不良原因', en: 'loss reasons' },
  'params.direction': { 'zh-TW': '追溯方向', en: 'direction' },
  domains: { 'zh-TW': '事件域', en: 'event domains' },
  source_id: { 'zh-TW': '資料來源', en: 'data source' },
  name: { 'zh-TW': '名稱', en: 'name' },
  path: { 'zh-TW': '檔案路徑', en: 'file path' },
  url: { 'zh-TW': '連線 URL', en: 'connection URL' },
  password: { 'zh-TW': '密碼', en: 'password' },
  key: { 'zh-TW': '設定項目', en: 'setting' },
  job_id: { 'zh-TW': '追溯結果', en: 'trace result' },
  job_a: { 'zh-TW': '比較的 A 分析', en: 'run A of the comparison' },
  job_b: { 'zh-TW': '比較的 B 分析', en: 'run B of the comparison' },
  value: { 'zh-TW': '設定值', en: 'setting value' },
}

/** The line that holds the original text. */
const DETAIL: Text = { 'zh-TW': '詳細：{text}', en: 'Details: {text}' }

const fill = (template: string, values: Record<string, string>): string => template.replace(/\{(\w+)\}/g, (all, name: string) => values[name] ?? all)

/** True for a code of shared/errors.ts (a code from a newer main reads as unexpected). */
export function isKnownErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_TEXT, code)
}

/** What an error means in `locale`; `details.field` of a bad input is named. */
export function errorText(code: string, locale: Locale, details?: Readonly<Record<string, unknown>>): string {
  const field = details?.field
  if (code === 'input/invalid' && typeof field === 'string' && field !== '') {
    const label = ownValue(FIELD_LABELS, field)?.[locale] ?? field
    return fill(INVALID_FIELD[locale], { field: label })
  }
  return ERROR_TEXT[isKnownErrorCode(code) ? code : 'internal/unexpected'][locale]
}

/** The detail line holding the original text. */
export function errorDetail(text: string, locale: Locale): string {
  return fill(DETAIL[locale], { text })
}
