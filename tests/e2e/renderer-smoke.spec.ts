import { expect, test } from '@playwright/test'

test.describe('renderer in Chromium', () => {
  test('shows the 12 stations and the 7 event domains without console errors', async ({ page }) => {
    const problems: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`)
    })
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
    await page.goto('/')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('MES Trace Desktop')
    await expect(page.locator('ol.stations li')).toHaveCount(12)
    await expect(page.locator('[data-station="測試"]')).toContainText('final test')
    await expect(page.getByTestId('domains')).toHaveText(
      'history · materials · rejects · holds · jobs · upstream_history · downstream_rejects',
    )
    expect(problems).toEqual([])
  })

  test('the content security policy blocks an inline script', async ({ page }) => {
    const violations: string[] = []
    page.on('console', (m) => {
      if (m.text().includes('Content Security Policy')) violations.push(m.text())
    })
    await page.goto('/')
    const ran = await page.evaluate(() => {
      const w = window as unknown as { inlineRan?: boolean }
      const script = document.createElement('script')
      script.textContent = 'window.inlineRan = true'
      document.body.appendChild(script)
      return w.inlineRan === true
    })
    expect(ran).toBe(false)
    await expect.poll(() => violations.length).toBeGreaterThan(0)
  })
})
