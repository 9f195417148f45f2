// @vitest-environment happy-dom
/**
 * The workspace's report button: in the browser host the report comes back and is downloaded as a
 * file (a Blob behind a link); in the desktop app main saves it and the button says where; either
 * way in the workspace's language.
 */
import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { API_KEY } from '../../../renderer/src/composables/useApi'
import { downloadHtml, useReport } from '../../../renderer/src/composables/useReport'
import ReportButton from '../../../renderer/src/components/ReportButton.vue'
import { createAppI18n } from '../../../renderer/src/i18n'
import type { ReportAnswer } from '../../../shared/api'
import { fakeApi } from './fake-api'
import { settle } from './mount-app'

const JOB = 'trace-evt-0123456789ab'
const inline: ReportAnswer = { cancelled: false, delivery: 'inline', format: 'html', name: `${JOB}-report-20261021-093000.html`, path: null, html: '<!doctype html><p>r</p>', bytes: 22 }

afterEach(() => {
  delete window.api
  vi.restoreAllMocks()
})

function mountButton(api: ReturnType<typeof fakeApi>, locale: 'en' | 'zh-TW' = 'en') {
  return mount(ReportButton, { props: { jobId: JOB }, global: { plugins: [createAppI18n(locale)], provide: { [API_KEY as symbol]: api } }, attachTo: document.body })
}

describe('useReport', () => {
  it('downloads a report the host answered with, under its name, and says so', async () => {
    const api = fakeApi()
    api.handle('results:report', () => inline)
    const downloads: [string, string][] = []
    const report = useReport(api, { download: (html, name) => downloads.push([html, name]) })
    await report.run(JOB, 'zh-TW')
    expect(api.calls).toEqual([{ channel: 'results:report', payload: { job_id: JOB, locale: 'zh-TW', format: 'html' } }])
    expect(downloads).toEqual([[inline.html, inline.name]])
    expect(report.done.value).toEqual({ delivery: 'inline', format: 'html', name: inline.name, path: null })
  })

  it('downloads nothing when main saved it or the person cancelled, and keeps an error to show', async () => {
    const api = fakeApi()
    const answers: ReportAnswer[] = [
      { cancelled: false, delivery: 'saved', format: 'pdf', name: 'r.pdf', path: '/home/eng/r.pdf', html: null, bytes: 9 },
      { cancelled: true, delivery: 'saved', format: 'html', name: '', path: null, html: null, bytes: 0 },
    ]
    api.handle('results:report', () => answers.shift()!)
    const download = vi.fn()
    const report = useReport(api, { download })
    await report.run(JOB, 'en', 'pdf')
    expect(report.done.value).toMatchObject({ delivery: 'saved', path: '/home/eng/r.pdf' })
    await report.run(JOB, 'en')
    expect(report.done.value).toBeNull()
    expect(download).not.toHaveBeenCalled()
    api.fail('results:report', 'input/invalid', 'job_id: job trace-evt-0123456789ab is a forward MSD analysis', { field: 'job_id' })
    await report.run(JOB, 'en')
    expect(report.error.value).toMatchObject({ code: 'input/invalid', detail: 'job_id: job trace-evt-0123456789ab is a forward MSD analysis' })
    expect(['Not a valid entry: trace result.', '輸入不正確：追溯結果。']).toContain(report.error.value?.message)
  })

  it('hands the browser a Blob of the report behind a download link, fetching nothing', () => {
    const created: Blob[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => (created.push(blob as Blob), 'blob:report-1'))
    const clicked: { href: string; download: string }[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download })
    })
    downloadHtml('<p>r</p>', 'r.html')
    expect(clicked).toEqual([{ href: 'blob:report-1', download: 'r.html' }])
    expect(created[0]!.type).toBe('text/html;charset=utf-8')
    expect(document.querySelector('a[download]')).toBeNull()
  })
})

describe('ReportButton', () => {
  it('in the browser host: one button that downloads the report in the workspace\'s language', async () => {
    const api = fakeApi()
    api.handle('results:report', () => ({ ...inline, name: 'r.html' }))
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:x')
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined)
    window.history.replaceState(null, '', '/?token=abc')
    const wrapper = mountButton(api, 'zh-TW')
    expect(wrapper.find('[data-testid="report-run"]').text()).toBe('下載證據報告')
    expect(wrapper.find('[data-testid="report-pdf"]').exists()).toBe(false)
    await wrapper.find('[data-testid="report-run"]').trigger('click')
    await settle()
    expect(api.calls[0]!.payload).toEqual({ job_id: JOB, locale: 'zh-TW', format: 'html' })
    expect(wrapper.find('[data-testid="report-done"]').text()).toBe('已下載 r.html')
    wrapper.unmount()
  })

  it('in the desktop app: save as HTML or as PDF, and where it went', async () => {
    const api = fakeApi()
    window.api = api
    api.handle('results:report', (p) => ({ cancelled: false, delivery: 'saved', format: p.format ?? 'html', name: 'r.pdf', path: '/home/eng/r.pdf', html: null, bytes: 9 }))
    const wrapper = mountButton(api)
    expect(wrapper.find('[data-testid="report-run"]').text()).toBe('Save evidence report')
    await wrapper.find('[data-testid="report-pdf"]').trigger('click')
    await settle()
    expect(api.calls[0]!.payload).toEqual({ job_id: JOB, locale: 'en', format: 'pdf' })
    expect(wrapper.find('[data-testid="report-done"]').text()).toBe('Report saved to /home/eng/r.pdf')
    wrapper.unmount()
  })
})
