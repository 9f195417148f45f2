/** Mounts a view with the app's plugins: i18n (English), a memory router, the API and the jobs store. */
import { mount, type VueWrapper } from '@vue/test-utils'
import { vi } from 'vitest'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import type { Component } from 'vue'
import { API_KEY } from '../../../renderer/src/composables/useApi'
import { createJobsStore, JOBS_KEY, type JobsStore } from '../../../renderer/src/composables/useJobs'
import { createAppI18n } from '../../../renderer/src/i18n'
import { routes } from '../../../renderer/src/router'
import type { FakeApi } from './fake-api'

export interface Mounted {
  wrapper: VueWrapper
  router: Router
  jobs: JobsStore
}

export async function mountView(component: Component, api: FakeApi, options: { path?: string; props?: Record<string, unknown>; locale?: 'en' | 'zh-TW' } = {}): Promise<Mounted> {
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push(options.path ?? '/new')
  await router.isReady()
  const jobs = createJobsStore(api, { tickMs: 60_000 })
  const wrapper = mount(component, {
    props: options.props ?? {},
    global: {
      plugins: [router, createAppI18n(options.locale ?? 'en')],
      provide: { [API_KEY as symbol]: api, [JOBS_KEY as symbol]: jobs },
      // ECharts cannot draw without a canvas: charts have their own tests through their option builders.
      stubs: { ParetoChart: true, FactorChart: true, TrendChart: true, LineageGraph: true },
    },
    attachTo: document.body,
  })
  return { wrapper, router, jobs }
}

/**
 * Lets pending promises and Vue updates settle: a few event-loop turns. Under fake timers each turn
 * runs only the timers already due, so a test's typing pause still passes only when it advances the clock.
 */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (vi.isFakeTimers()) await vi.advanceTimersByTimeAsync(0)
    else await new Promise((r) => setTimeout(r, 0))
  }
}
