import "server-only";
import { isIP } from "node:net";

// Which addresses a webhook may be delivered to. A webhook URL is an administrator's input, and the
// console runs next to things an outsider must never reach through it (SSRF): the instance
// metadata service at 169.254.169.254, which hands out the console's own AWS credentials
// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html), and
// whatever listens on the private network or on the host itself. So every address a host name
// resolves to is checked here, and the delivery connects to the address that was checked
// (./send.ts pins it through the request's `lookup`), so a second DNS answer cannot slip past.
//
// Refused ranges follow the IANA special-purpose registries (RFC 6890):
// https://www.iana.org/assignments/iana-ipv4-special-registry/ and …/iana-ipv6-special-registry/.

type Range = { bits: number[]; prefix: number; why: string };

function v4(cidr: string, why: string): Range {
  const [addr, prefix] = cidr.split("/");
  return { bits: addr!.split(".").map(Number), prefix: Number(prefix), why };
}

const IPV4_REFUSED: Range[] = [
  v4("0.0.0.0/8", "an unspecified address"),
  v4("10.0.0.0/8", "a private address"),
  v4("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
  v4("127.0.0.0/8", "a loopback address"),
  v4("169.254.0.0/16", "a link-local address (the instance metadata service lives there)"),
  v4("172.16.0.0/12", "a private address"),
  v4("192.0.0.0/24", "an IETF protocol address"),
  v4("192.0.2.0/24", "a documentation address"),
  v4("192.168.0.0/16", "a private address"),
  v4("198.18.0.0/15", "a benchmarking address"),
  v4("198.51.100.0/24", "a documentation address"),
  v4("203.0.113.0/24", "a documentation address"),
  v4("224.0.0.0/4", "a multicast address"),
  v4("240.0.0.0/4", "a reserved address"),
];

function matches(bytes: number[], range: Range): boolean {
  for (let bit = 0; bit < range.prefix; bit++) {
    const i = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if ((bytes[i]! & mask) !== (range.bits[i]! & mask)) return false;
  }
  return true;
}

/** 16 bytes of an IPv6 address (any textual form, an embedded dotted IPv4 tail included). */
export function ipv6Bytes(address: string): number[] | null {
  let text = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const parts = tail[1]!.split(".").map(Number);
    if (parts.some((p) => p > 255)) return null;
    text = text.slice(0, -tail[1]!.length) + `${((parts[0]! << 8) | parts[1]!).toString(16)}:${((parts[2]! << 8) | parts[3]!).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  const bytes: number[] = [];
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
    const n = parseInt(g, 16);
    bytes.push(n >> 8, n & 0xff);
  }
  return bytes;
}

function refusedV4(bytes: number[]): string | null {
  return IPV4_REFUSED.find((r) => matches(bytes, r))?.why ?? null;
}

/** Why a delivery may not go to this IP address (a sentence's end), or null when it may. */
export function refusedAddress(address: string): string | null {
  const family = isIP(address.replace(/^\[|\]$/g, ""));
  if (family === 4) return refusedV4(address.split(".").map(Number));
  if (family !== 6) return "not an IP address";
  const b = ipv6Bytes(address);
  if (!b) return "not an IP address";
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 16)) return "an unspecified address";
  if (zeros(0, 15) && b[15] === 1) return "a loopback address";
  // IPv4-mapped (::ffff:0:0/96) and the deprecated IPv4-compatible (::/96): the IPv4 rules apply.
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return refusedV4(b.slice(12));
  if (zeros(0, 12)) return refusedV4(b.slice(12)) ?? "an IPv4-compatible address";
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach an IPv4 address: the IPv4 rules apply to it.
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return refusedV4(b.slice(12));
  if (b[0] === 0x20 && b[1] === 0x02) return refusedV4(b.slice(2, 6));
  if ((b[0]! & 0xfe) === 0xfc) return "a unique-local address";
  if (b[0] === 0xfe && (b[1]! & 0xc0) === 0x80) return "a link-local address";
  if (b[0] === 0xfe && (b[1]! & 0xc0) === 0xc0) return "a site-local address";
  if (b[0] === 0xff) return "a multicast address";
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x0d && b[3] === 0xb8) return "a documentation address";
  return null;
}
