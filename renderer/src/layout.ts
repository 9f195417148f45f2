/** The workspace's layout choices that outlive a page: whether the jobs drawer is open. */

const DRAWER_KEY = 'mes-trace:jobs-drawer'

/** The jobs drawer's stored state; open unless it was folded away. */
export function readDrawerOpen(storage: Pick<Storage, 'getItem'> | null = globalThis.localStorage ?? null): boolean {
  try {
    return storage?.getItem(DRAWER_KEY) !== 'closed'
  } catch {
    return true
  }
}

export function rememberDrawerOpen(open: boolean, storage: Pick<Storage, 'setItem'> | null = globalThis.localStorage ?? null): void {
  try {
    storage?.setItem(DRAWER_KEY, open ? 'open' : 'closed')
  } catch {
    // Storage off or full: the drawer opens again next time.
  }
}
