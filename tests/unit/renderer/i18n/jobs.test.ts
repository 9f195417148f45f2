/**
 * The repair-jobs area's messages: both languages, and every `jobs.*` key the renderer asks for
 * (spelled out, or one per transaction column) resolves in both.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { jobs } from '../../../../renderer/src/i18n/jobs'
import { messagesOf, LOCALES, type MessageTree } from '../../../../renderer/src/i18n'
import { TRANSACTION_SHOWN } from '../../../../renderer/src/job-transactions'

function flatten(tree: MessageTree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') out.set(path, value)
    else for (const [k, v] of flatten(value, path)) out.set(k, v)
  }
  return out
}
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(vue|ts)$/.test(name) ? [path] : []
  })
}

describe('jobs messages', () => {
  it('has the same keys in both languages, none empty, and is merged into each language', () => {
    const zh = flatten(jobs['zh-TW'])
    const en = flatten(jobs.en)
    expect([...zh.keys()].sort()).toEqual([...en.keys()].sort())
    for (const [key, text] of [...zh, ...en]) expect(text.trim(), key).not.toBe('')
    for (const locale of LOCALES) expect(messagesOf(locale).jobs).toBe(jobs[locale])
  })

  it('resolves every key the renderer asks for', () => {
    const used = new Set<string>(TRANSACTION_SHOWN.map((c) => `jobs.txn.col.${c}`))
    for (const file of sourceFiles(join(__dirname, '..', '..', '..', '..', 'renderer', 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'(jobs\.[A-Za-z0-9_.-]+)'/g)) used.add(m[1]!)
    }
    expect(used.size).toBeGreaterThan(15)
    for (const locale of LOCALES) {
      const keys = flatten(messagesOf(locale))
      expect([...used].filter((k) => !keys.has(k)), locale).toEqual([])
    }
  })
})
