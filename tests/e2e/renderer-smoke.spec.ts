import { expect, test } from '@playwright/test'

test.describe('renderer in Chromium', () => {
  test('without a backend it says so, and the new-trace form renders without console errors', async ({ page }) => {
    const problems: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`)
    })
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
    await page.goto('/')
    await expect(page).toHaveURL(/#\/new$/)
    await expect(page.getByRole('status').first()).toContainText('mes-trace serve')
    await expect(page.getByTestId('new-trace-form')).toBeVisible()
    await expect(page.getByTestId('station')).toHaveCount(0)
    await page.getByTestId('profile-msd_backward').check()
    // The 12 station groups, the default detection station first picked.
    await expect(page.getByTestId('station').locator('option')).toHaveCount(12)
    await expect(page.getByTestId('station')).toHaveValue('測試')
    await expect(page.getByTestId('submit')).toBeDisabled()
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
