/**
 * Records keyed by what came from outside (CIDs, names from a mailed result file): a key such as
 * `__proto__` must stay a plain key, and a key such as `constructor` must not find what every
 * object inherits.
 */

/** Sets `record[key]` as an own property, whatever the key (`__proto__` included). */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true })
}

/** `record[key]` when the record has that key of its own, else undefined. */
export function ownValue<T>(record: Readonly<Record<string, T>> | null | undefined, key: string): T | undefined {
  return record != null && Object.hasOwn(record, key) ? record[key] : undefined
}
