/**
 * Passwords of data-source profiles, kept apart from the profiles and never sent to a renderer.
 * In the desktop app they are encrypted by the OS (Electron `safeStorage`: DPAPI on Windows,
 * Keychain on macOS, the desktop's secret service on Linux) and stored in the catalog as
 * ciphertext; where the OS offers no real key store (Linux `basic_text`, the browser host, tests)
 * they live in this process's memory until it exits.
 */
import type { Catalog } from '../store/index.js'

/** What the OS offers to encrypt a string for this user (Electron's `safeStorage`, synchronously). */
export interface SecretCipher {
  /** False when the OS has no real key store (then nothing is written to disk). */
  isAvailable(): boolean
  encrypt(plain: string): Buffer
  decrypt(data: Buffer): string
}

export interface SecretStore {
  /** True when secrets survive a restart (encrypted by the OS), false when kept in memory only. */
  readonly persistent: boolean
  get(id: string): string | null
  set(id: string, secret: string): void
  delete(id: string): void
}

/** Secrets for the life of this process only. */
export class MemorySecretStore implements SecretStore {
  readonly persistent = false
  private readonly secrets = new Map<string, string>()
  get(id: string): string | null {
    return this.secrets.get(id) ?? null
  }
  set(id: string, secret: string): void {
    this.secrets.set(id, secret)
  }
  delete(id: string): void {
    this.secrets.delete(id)
  }
}

/** Settings key of a source's encrypted password. */
export function secretKeyOf(id: string): string {
  return `source_secret:${id}`
}

/** Secrets encrypted by the OS and stored as base64 ciphertext in the catalog. */
export class EncryptedSecretStore implements SecretStore {
  readonly persistent = true
  constructor(
    private readonly catalog: Catalog,
    private readonly cipher: SecretCipher,
  ) {}
  get(id: string): string | null {
    const stored = this.catalog.getSetting(secretKeyOf(id))
    if (typeof stored !== 'string') return null
    try {
      return this.cipher.decrypt(Buffer.from(stored, 'base64'))
    } catch {
      // Another user's or another machine's ciphertext (a copied data folder): ask again.
      return null
    }
  }
  set(id: string, secret: string): void {
    this.catalog.setSetting(secretKeyOf(id), this.cipher.encrypt(secret).toString('base64'))
  }
  delete(id: string): void {
    this.catalog.deleteSetting(secretKeyOf(id))
  }
}

/** The OS-encrypted store when the OS has a key store, else one in memory. */
export function secretStoreFor(catalog: Catalog, cipher?: SecretCipher): SecretStore {
  return cipher?.isAvailable() ? new EncryptedSecretStore(catalog, cipher) : new MemorySecretStore()
}
