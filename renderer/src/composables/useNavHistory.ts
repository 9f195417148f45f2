/**
 * The app's own Back and Forward: whether there is a page of the app to go to, kept up to date
 * after every move (a link, a tab, the browser's buttons). The buttons go through the router, so
 * they never leave the app; at the first page the app opened, Back is off.
 */
import { onScopeDispose, ref, type Ref } from 'vue'
import type { Router } from 'vue-router'
import { historyReach } from '../nav-history'

export interface NavHistory {
  canBack: Ref<boolean>
  canForward: Ref<boolean>
  back: () => void
  forward: () => void
}

export function useNavHistory(router: Router): NavHistory {
  const canBack = ref(false)
  const canForward = ref(false)
  const update = (): void => {
    const reach = historyReach(router.options.history.state)
    canBack.value = reach.canBack
    canForward.value = reach.canForward
  }
  update()
  const stop = router.afterEach(() => update())
  // The browser's buttons move the state before (or without) a route change the router reports.
  const onPop = (): void => update()
  globalThis.addEventListener?.('popstate', onPop)
  onScopeDispose(() => {
    stop()
    globalThis.removeEventListener?.('popstate', onPop)
  })
  return {
    canBack,
    canForward,
    back: () => {
      if (canBack.value) router.back()
    },
    forward: () => {
      if (canForward.value) router.forward()
    },
  }
}
