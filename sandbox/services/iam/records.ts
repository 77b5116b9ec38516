// IAM names may be any of [\w+=,.@-]+, which includes "constructor" and "__proto__": state maps
// are plain objects, so reads must ignore inherited properties and writes must define own ones.

export function getOwn<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
