/** Where a report is written and in which language. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { osReportLocale, parseReportLocale, reportFileName, writeReportFile } from '../../../main/report/index.js'

const dir = mkdtempSync(join(tmpdir(), 'mes-trace-report-file-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('osReportLocale', () => {
  const intl = (locale: string) => () => locale

  it('follows LC_ALL, then LC_MESSAGES, then LANG: Chinese gives zh-TW, anything else en', () => {
    expect(osReportLocale({ LANG: 'zh_TW.UTF-8' }, intl('en-US'))).toBe('zh-TW')
    expect(osReportLocale({ LC_ALL: 'en_US.UTF-8', LANG: 'zh_TW.UTF-8' }, intl('zh-TW'))).toBe('en')
    expect(osReportLocale({ LC_MESSAGES: 'zh_CN.UTF-8', LANG: 'de_DE.UTF-8' }, intl('en-US'))).toBe('zh-TW')
    expect(osReportLocale({ LANG: 'de_DE.UTF-8' }, intl('zh-TW'))).toBe('en')
  })

  it('asks the runtime when the variables say nothing (unset, C or POSIX), and falls back to en', () => {
    expect(osReportLocale({}, intl('zh-Hant-TW'))).toBe('zh-TW')
    expect(osReportLocale({ LANG: 'C.UTF-8' }, intl('zh-TW'))).toBe('zh-TW')
    expect(osReportLocale({ LC_ALL: 'POSIX' }, intl('en-GB'))).toBe('en')
    expect(osReportLocale({}, () => { throw new Error('no Intl') })).toBe('en')
  })
})

describe('parseReportLocale', () => {
  it('takes en and zh-TW in any case, with _ or -, and nothing else', () => {
    expect(['en', 'EN', 'zh-TW', 'zh_tw', ' zh-tw '].map(parseReportLocale)).toEqual(['en', 'en', 'zh-TW', 'zh-TW', 'zh-TW'])
    expect(['zh', 'zh-CN', 'fr', ''].map(parseReportLocale)).toEqual([null, null, null, null])
  })
})

describe('writeReportFile', () => {
  it('writes a new file and says how large it is', async () => {
    const path = join(dir, 'new.html')
    expect(await writeReportFile(path, '<!doctype html>é')).toBe(17)
    expect(readFileSync(path, 'utf8')).toBe('<!doctype html>é')
  })

  it('refuses an existing file unless told to replace it, naming the path', async () => {
    const path = join(dir, 'old.html')
    writeFileSync(path, 'kept')
    await expect(writeReportFile(path, 'new')).rejects.toMatchObject({ code: 'export/refused', details: { path, exists: true } })
    expect(readFileSync(path, 'utf8')).toBe('kept')
    expect(await writeReportFile(path, 'new', { replace: true })).toBe(3)
    expect(readFileSync(path, 'utf8')).toBe('new')
  })

  it('refuses a relative path and a missing folder under the field it is given', async () => {
    await expect(writeReportFile('report.html', 'x', { field: '--out' })).rejects.toMatchObject({ code: 'input/invalid', details: { field: '--out' } })
    await expect(writeReportFile(join(dir, 'missing', 'r.html'), 'x', { field: '--out' })).rejects.toThrow(/does not exist/)
  })

  it('names a report after its job and the time, local time', () => {
    expect(reportFileName('trace-evt-0123456789ab', 'pdf', new Date(2026, 9, 5, 7, 8, 9))).toBe('trace-evt-0123456789ab-report-20261005-070809.pdf')
  })
})
