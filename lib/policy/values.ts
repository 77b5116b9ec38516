// Typed readings of condition values, shared by validation (parse.ts) and evaluation
// (conditions.ts) so both agree on what a number, a date or an IP range is.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** "Integer or decimal value", as the Numeric operators describe it. */
export function parseNumber(value: string): number | undefined {
  if (!DECIMAL.test(value.trim())) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** "true"/"false", case-insensitively (the Bool operator). */
export function parseBoolean(value: string): boolean | undefined {
  const lower = value.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  return undefined;
}

// The W3C profile of ISO 8601 that IAM documents (http://www.w3.org/TR/NOTE-datetime): a year,
// year-month, date, or date and time with optional seconds and fraction. A time without a zone
// designator is read as UTC. The basic form `20130930T231548Z` (SigV4's X-Amz-Date) is accepted
// too, since request contexts built from signed requests carry it.
const ISO_DATE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}:?\d{2})?$/;
const EPOCH = /^\d+(?:\.\d+)?$/;

/** Milliseconds since the epoch for an ISO 8601 date or epoch seconds (`aws:EpochTime`).
 * A run of digits is read as epoch seconds, not as a bare year. */
export function parseDate(value: string): number | undefined {
  const text = value.trim();
  if (EPOCH.test(text)) return Number(text) * 1000;
  const extended = ISO_DATE.exec(text);
  if (extended) {
    const [, year, month, day, hour, minute, second, fraction, zone] = extended;
    return utcMillis({ year, month, day, hour, minute, second, fraction, zone });
  }
  const basic = ISO_BASIC.exec(text);
  if (basic) {
    const [, year, month, day, hour, minute, second, zone] = basic;
    return utcMillis({ year, month, day, hour, minute, second, zone });
  }
  return undefined;
}

type DateParts = Partial<Record<"year" | "month" | "day" | "hour" | "minute" | "second" | "fraction" | "zone", string>>;

function utcMillis(p: DateParts): number | undefined {
  const year = Number(p.year);
  const month = Number(p.month ?? "1");
  const day = Number(p.day ?? "1");
  const hour = Number(p.hour ?? "0");
  const minute = Number(p.minute ?? "0");
  const second = Number(p.second ?? "0");
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const millis = p.fraction ? Math.round(Number(p.fraction) * 1000) : 0;
  return Date.UTC(year, month - 1, day, hour, minute, second) + millis - zoneOffsetMinutes(p.zone) * 60_000;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function zoneOffsetMinutes(zone: string | undefined): number {
  if (!zone || zone === "Z") return 0;
  const digits = zone.slice(1).replace(":", "");
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
  return zone.startsWith("-") ? -minutes : minutes;
}

export type IpRange = { version: 4 | 6; address: bigint; prefix: number };

/** An IPv4 or IPv6 address, optionally with a CIDR prefix. IAM reads an address without a
 * prefix as a single host (/32 for IPv4, /128 for IPv6). */
export function parseIpRange(value: string): IpRange | undefined {
  const [addressText, prefixText, extra] = value.trim().split("/");
  if (addressText === undefined || extra !== undefined) return undefined;
  const parsed = addressText.includes(":") ? parseIpv6(addressText) : parseIpv4(addressText);
  if (!parsed) return undefined;
  const bits = parsed.version === 4 ? 32 : 128;
  if (prefixText === undefined) return { ...parsed, prefix: bits };
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  return prefix <= bits ? { ...parsed, prefix } : undefined;
}

/** Whether `address` lies inside `range`. Addresses of different versions never match. */
export function ipInRange(address: IpRange, range: IpRange): boolean {
  if (address.version !== range.version) return false;
  const bits = address.version === 4 ? 32 : 128;
  const shift = BigInt(bits - range.prefix);
  return address.address >> shift === range.address >> shift;
}

function parseIpv4(text: string): { version: 4; address: bigint } | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let address = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    address = (address << 8n) | BigInt(Number(part));
  }
  return { version: 4, address };
}

function parseIpv6(text: string): { version: 6; address: bigint } | undefined {
  const split = splitEmbeddedIpv4(text);
  if (!split) return undefined;
  const halves = split.groups.split("::");
  if (halves.length > 2) return undefined;
  const head = hexGroups(halves[0] ?? "");
  const rest = hexGroups(halves[1] ?? "");
  if (!head || !rest) return undefined;
  const explicit = head.length + rest.length + split.tail.length;
  // With `::` the missing groups are zeros; without it all eight must be written.
  if (halves.length === 2 ? explicit > 7 : explicit !== 8) return undefined;
  const zeros = new Array<bigint>(8 - explicit).fill(0n);
  const groups = [...head, ...zeros, ...rest, ...split.tail];
  return { version: 6, address: groups.reduce((acc, g) => (acc << 16n) | g, 0n) };
}

/** An embedded IPv4 address (`::ffff:192.0.2.1`) stands for the last two groups. */
function splitEmbeddedIpv4(text: string): { groups: string; tail: bigint[] } | undefined {
  const lastColon = text.lastIndexOf(":");
  const last = text.slice(lastColon + 1);
  if (!last.includes(".")) return { groups: text, tail: [] };
  const v4 = parseIpv4(last);
  if (!v4) return undefined;
  // Drop the IPv4 part and its separating colon, but keep a `::` that precedes it.
  const groups = text[lastColon - 1] === ":" ? text.slice(0, lastColon + 1) : text.slice(0, lastColon);
  return { groups, tail: [v4.address >> 16n, v4.address & 0xffffn] };
}

function hexGroups(text: string): bigint[] | undefined {
  if (text === "") return [];
  const groups: bigint[] = [];
  for (const group of text.split(":")) {
    if (!/^[0-9A-Fa-f]{1,4}$/.test(group)) return undefined;
    groups.push(BigInt(parseInt(group, 16)));
  }
  return groups;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The bytes of a base64 value (BinaryEquals), or undefined when it is not valid base64. */
export function parseBase64(value: string): Uint8Array | undefined {
  const text = value.trim();
  if (!BASE64.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, "base64"));
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
