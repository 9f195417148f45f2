/**
 * Web preferences of every app window, kept apart from the Electron entry so tests can assert
 * them without an Electron binary.
 */
import type { WebPreferences } from 'electron'

/** Isolated, sandboxed, no Node in the renderer; only the preload's `window.api` crosses over. */
export function hardenedWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  }
}
