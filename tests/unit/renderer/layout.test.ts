import { describe, expect, it } from 'vitest'
import { readDrawerOpen, rememberDrawerOpen } from '../../../renderer/src/layout'

function memoryStorage() {
  const data = new Map<string, string>()
  return { data, getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) }
}

describe('the jobs drawer', () => {
  it('is open until folded away, and stays as it was left', () => {
    const storage = memoryStorage()
    expect(readDrawerOpen(storage)).toBe(true)
    rememberDrawerOpen(false, storage)
    expect(storage.data.get('mes-trace:jobs-drawer')).toBe('closed')
    expect(readDrawerOpen(storage)).toBe(false)
    rememberDrawerOpen(true, storage)
    expect(readDrawerOpen(storage)).toBe(true)
  })

  it('opens when the storage cannot be read', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied')
      },
      setItem: () => {
        throw new Error('denied')
      },
    }
    expect(readDrawerOpen(broken)).toBe(true)
    expect(() => rememberDrawerOpen(false, broken)).not.toThrow()
    expect(readDrawerOpen(null)).toBe(true)
  })
})
