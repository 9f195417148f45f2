/** The workspace's pages. Hash history: the same URLs work from app:// and from the browser host. */
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/new' },
  { path: '/new', name: 'new', component: () => import('./views/NewTraceView.vue'), meta: { title: 'app.nav.new' } },
  { path: '/jobs/:jobId', name: 'job', component: () => import('./views/ResultView.vue'), props: true, meta: { title: 'app.nav.result' } },
  { path: '/equipment', name: 'equipment', component: () => import('./views/EquipmentView.vue'), meta: { title: 'equipment.nav' } },
  { path: '/history', name: 'history', component: () => import('./views/HistoryView.vue'), meta: { title: 'app.nav.history' } },
  { path: '/diff/:jobA/:jobB', name: 'diff', component: () => import('./views/DiffView.vue'), props: true, meta: { title: 'diff.title' } },
  { path: '/settings', name: 'settings', component: () => import('./views/SettingsView.vue'), meta: { title: 'app.nav.settings' } },
  { path: '/:rest(.*)*', redirect: '/new' },
]

export function createAppRouter() {
  return createRouter({ history: createWebHashHistory(), routes })
}
