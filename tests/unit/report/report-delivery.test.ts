/** `results:report` behind the contract: a download in the browser host, a save dialog (and PDF) in the desktop app. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { deliverReport, type ReportSaver } from '../../../main/report/index.js'
import { fakeSource, JOB_ID, summary } from '../../fixtures/report-fixture.js'

const dir = mkdtempSync(join(tmpdir(), 'mes-trace-report-delivery-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const at = () => new Date(2026, 9, 21, 9, 30, 0)

describe('deliverReport', () => {
  it('answers the browser host with the report itself, to download under its name', async () => {
    const answer = await deliverReport(fakeSource(), { jobId: JOB_ID, locale: 'zh-TW', format: 'html', clientId: 'ws-1' }, { appVersion: '0.1.0', now: at })
    expect(answer).toMatchObject({ cancelled: false, delivery: 'inline', format: 'html', name: `${JOB_ID}-report-20261021-093000.html`, path: null })
    expect(answer.html!.startsWith('<!doctype html>\n<html lang="zh-Hant-TW">')).toBe(true)
    expect(answer.bytes).toBe(Buffer.byteLength(answer.html!))
  })

  it('refuses a PDF where there is no browser engine to print it, naming the field', async () => {
    await expect(deliverReport(fakeSource(), { jobId: JOB_ID, locale: 'en', format: 'pdf', clientId: 'ws-1' }, { appVersion: '0.1.0' })).rejects.toMatchObject({
      code: 'input/invalid',
      details: { field: 'format' },
    })
  })

  it('checks the job before asking anyone where to save', async () => {
    let asked = 0
    const saver: ReportSaver = { choose: async () => (asked++, null), printToPdf: async () => new Uint8Array() }
    const forward = fakeSource({ summary: summary({ direction: 'forward' }) })
    await expect(deliverReport(forward, { jobId: JOB_ID, locale: 'en', format: 'html', clientId: 'wc-1' }, { appVersion: '0.1.0', saver })).rejects.toMatchObject({
      code: 'input/invalid',
      details: { field: 'job_id' },
    })
    expect(asked).toBe(0)
  })

  it('saves where the person chose, as HTML or printed to PDF, and says when they cancelled', async () => {
    const printed: string[] = []
    const paths = [join(dir, 'r.html'), join(dir, 'r.pdf'), null]
    const saver: ReportSaver = {
      choose: async () => paths.shift() ?? null,
      printToPdf: async (html) => {
        printed.push(html)
        return new Uint8Array([37, 80, 68, 70, 45])
      },
    }
    const request = { jobId: JOB_ID, locale: 'en' as const, clientId: 'wc-1' }
    const html = await deliverReport(fakeSource(), { ...request, format: 'html' }, { appVersion: '0.1.0', saver, dataDir: join(dir, 'data') })
    expect(html).toMatchObject({ cancelled: false, delivery: 'saved', format: 'html', name: 'r.html', path: join(dir, 'r.html'), html: null })
    expect(readFileSync(join(dir, 'r.html'), 'utf8').startsWith('<!doctype html>')).toBe(true)
    const pdf = await deliverReport(fakeSource(), { ...request, format: 'pdf' }, { appVersion: '0.1.0', saver })
    expect(pdf).toMatchObject({ delivery: 'saved', format: 'pdf', name: 'r.pdf', bytes: 5 })
    expect(readFileSync(join(dir, 'r.pdf'), 'latin1')).toBe('%PDF-')
    expect(printed).toHaveLength(1)
    expect(printed[0]).toContain('Mid-section defect evidence report')
    expect(await deliverReport(fakeSource(), { ...request, format: 'html' }, { appVersion: '0.1.0', saver })).toEqual({
      cancelled: true, delivery: 'saved', format: 'html', name: '', path: null, html: null, bytes: 0,
    })
  })
})
