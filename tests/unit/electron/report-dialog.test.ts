/** The desktop app's report saver, with a fake save dialog (no Electron binary here). */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { reportSaveDialog } from '../../../main/electron/report-dialog.js'

const JOB = 'trace-evt-0123456789ab'
const noPdf = async (): Promise<Uint8Array> => new Uint8Array()

describe('reportSaveDialog', () => {
  it('asks in a dialog of the calling window, in the report\'s language, for an HTML file or a PDF', async () => {
    const shown: { window: unknown; options: { title?: string; defaultPath?: string; filters?: unknown } }[] = []
    const answers: { canceled: boolean; filePath?: string }[] = [{ canceled: false, filePath: '/home/eng/out/report.html' }, { canceled: true }]
    const windowOfOne = { id: 'window-1' }
    const saver = reportSaveDialog(
      {
        showSaveDialog: async (window, options) => {
          shown.push({ window, options })
          return answers.shift() as never
        },
        windowOf: (clientId) => (clientId === 'wc-1' ? (windowOfOne as never) : null),
        defaultFolder: () => '/home/eng/Documents',
        locale: () => 'en-US',
        exists: () => false,
      },
      noPdf,
      () => new Date(2026, 11, 4, 9, 5, 7),
    )
    expect(await saver.choose({ jobId: JOB, locale: 'en', format: 'html', clientId: 'wc-1' })).toBe('/home/eng/out/report.html')
    expect(shown[0]).toMatchObject({
      window: windowOfOne,
      options: { title: 'Save the evidence report', defaultPath: join('/home/eng/Documents', `${JOB}-report-20261204-090507.html`), filters: [{ name: 'Evidence report (HTML)', extensions: ['html'] }] },
    })
    // The next dialog starts where the last report went; cancelling saves nothing.
    expect(await saver.choose({ jobId: JOB, locale: 'zh-TW', format: 'pdf', clientId: 'wc-1' })).toBeNull()
    expect(shown[1]!.options).toMatchObject({ title: '儲存證據報告', defaultPath: join('/home/eng/out', `${JOB}-report-20261204-090507.pdf`), filters: [{ name: '證據報告 (PDF)', extensions: ['pdf'] }] })
  })

  it('adds the extension a Linux dialog leaves off, and asks again, saying why, for a file that exists', async () => {
    const shown: { title?: string }[] = []
    const answers = ['/data/old', '/data/new']
    const saver = reportSaveDialog(
      {
        showSaveDialog: async (_window, options) => {
          shown.push(options)
          return { canceled: false, filePath: answers.shift()! } as never
        },
        windowOf: () => null,
        defaultFolder: () => '/data',
        locale: () => 'en-US',
        exists: (path) => path === '/data/old.pdf',
      },
      noPdf,
    )
    expect(await saver.choose({ jobId: JOB, locale: 'en', format: 'pdf', clientId: 'wc-1' })).toBe('/data/new.pdf')
    expect(shown.map((o) => o.title)).toEqual(['Save the evidence report', '"old.pdf" exists and a report never replaces a file: choose another name'])
  })

  it('prints with the printer it was given', async () => {
    const pdf = new Uint8Array([37, 80, 68, 70])
    const saver = reportSaveDialog({ showSaveDialog: async () => ({ canceled: true }) as never, windowOf: () => null, defaultFolder: () => '/', locale: () => 'en' }, async (html) => (html === '<p>r</p>' ? pdf : new Uint8Array()))
    expect(await saver.printToPdf('<p>r</p>')).toBe(pdf)
  })
})
