import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ApiError, describeError, describeErrorData } from '../../../../renderer/src/composables/useApi'
import { ERROR_TEXT, errorText, FIELD_LABELS, isKnownErrorCode } from '../../../../renderer/src/i18n/errors'
import { LOCALES } from '../../../../renderer/src/i18n/types'

/** The codes of the `ErrorCode` union, read from its source: a code added there must get its text here. */
function declaredCodes(): string[] {
  const source = readFileSync(new URL('../../../../shared/errors.ts', import.meta.url), 'utf8')
  const union = /export type ErrorCode =([\s\S]*?)\n\n/.exec(source)?.[1] ?? ''
  return [...union.matchAll(/\|\s*'([a-z]+\/[a-z-]+)'/g)].map((m) => m[1]!)
}

const HAN = /[\u4e00-\u9fff]/

describe('error texts', () => {
  it('read the code list of shared/errors.ts (the check below has something to check)', () => {
    const codes = declaredCodes()
    expect(codes.length).toBeGreaterThanOrEqual(30)
    expect(codes).toContain('input/invalid')
    expect(codes).toContain('internal/unexpected')
  })

  it('word every error code in both languages, and no code that does not exist', () => {
    const codes = declaredCodes()
    expect(Object.keys(ERROR_TEXT).sort()).toEqual([...codes].sort())
    for (const code of codes) {
      for (const locale of LOCALES) {
        const text = ERROR_TEXT[code as keyof typeof ERROR_TEXT]?.[locale] ?? ''
        expect(text.trim(), `${code} in ${locale}`).not.toBe('')
      }
      // The plant reads Traditional Chinese; English has no Han characters.
      expect(ERROR_TEXT[code as keyof typeof ERROR_TEXT]['zh-TW'], code).toMatch(HAN)
      expect(ERROR_TEXT[code as keyof typeof ERROR_TEXT].en, code).not.toMatch(HAN)
    }
  })

  it('label every named field in both languages', () => {
    for (const [field, text] of Object.entries(FIELD_LABELS)) {
      expect(text['zh-TW'], field).toMatch(HAN)
      expect(text.en.trim(), field).not.toBe('')
    }
  })

  it('name the field of a bad input as the form calls it, and an unknown field as given', () => {
    expect(errorText('input/invalid', 'zh-TW', { field: 'params.start_date' })).toBe('輸入不正確：開始日期。')
    expect(errorText('input/invalid', 'en', { field: 'params.values' })).toBe('Not a valid entry: values.')
    expect(errorText('input/invalid', 'en', { field: 'params.limit' })).toBe('Not a valid entry: params.limit.')
    expect(errorText('input/invalid', 'en')).toBe(ERROR_TEXT['input/invalid'].en)
  })

  it('read a code from a newer main as unexpected', () => {
    expect(isKnownErrorCode('source/unreachable')).toBe(true)
    expect(isKnownErrorCode('source/moved')).toBe(false)
    expect(errorText('source/moved', 'zh-TW')).toBe(ERROR_TEXT['internal/unexpected']['zh-TW'])
  })
})

describe('describeError', () => {
  it('says what went wrong in the page’s language and keeps the original text as the detail', () => {
    const error = new ApiError({ code: 'source/unreachable', message: 'The source /data/plant.sqlite cannot be opened.' })
    expect(describeError(error, 'zh-TW')).toEqual({
      code: 'source/unreachable',
      message: '無法連線或開啟資料來源，請到「設定與資料來源」測試連線。',
      detail: 'The source /data/plant.sqlite cannot be opened.',
    })
    expect(describeError(error, 'en').message).toBe('The data source cannot be reached or opened; test the connection in Settings & sources.')
  })

  it('names the field of a validation error from the server', () => {
    const error = new ApiError({ code: 'input/invalid', message: 'value: must be from 0 to 315360000 s, got 999999999999', details: { field: 'value' } })
    expect(describeError(error, 'zh-TW')).toEqual({ code: 'input/invalid', message: '輸入不正確：設定值。', detail: 'value: must be from 0 to 315360000 s, got 999999999999' })
  })

  it('takes anything thrown, and leaves out a detail that says nothing more', () => {
    expect(describeError(new Error('boom'), 'en')).toEqual({ code: 'internal/unexpected', message: 'Something unexpected went wrong.', detail: 'boom' })
    expect(describeError('text', 'en')).toMatchObject({ code: 'internal/unexpected', detail: 'text' })
    expect(describeErrorData({ code: 'trace/cancelled', message: '' }, 'en')).toEqual({ code: 'trace/cancelled', message: 'The trace was cancelled.' })
  })
})
