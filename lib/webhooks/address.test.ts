// SSRF: a webhook URL is an administrator's input, and the console holds AWS keys. Every address a
// delivery could connect to is checked after resolution, on the connection itself.
import { lookup } from "node:dns/promises";
import { createServer } from "node:http";
import { hostname } from "node:os";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { refusedAddress } from "./address";
import { guardedLookup, refusedUrl, sendOnce } from "./send";

describe("refusedAddress", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.8.9.10", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "link-local"],
    ["100.64.0.1", "shared"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fc00::1", "unique-local"],
    ["fd12:3456::1", "unique-local"],
    ["fe80::1", "link-local"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:a9fe:a9fe", "link-local"],
    ["::ffff:10.0.0.1", "private"],
    ["64:ff9b::a9fe:a9fe", "link-local"],
    ["2002:a9fe:a9fe::1", "link-local"],
  ])("refuses %s (%s)", (address, why) => {
    expect(refusedAddress(address)).toContain(why);
  });

  it.each(["93.184.216.34", "172.32.0.1", "172.15.255.255", "192.169.0.1", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8", "2a00:1450:4001:80b::200e"])("allows the public address %s", (address) => {
    expect(refusedAddress(address)).toBeNull();
  });
});

describe("refusedUrl", () => {
  it("wants https, no credentials, and no literal private address or localhost", () => {
    expect(refusedUrl("https://hooks.slack.com/services/T/B/X", false)).toBeNull();
    expect(refusedUrl("http://hooks.example.com/x", false)).toMatch(/https:\/\//);
    expect(refusedUrl("ftp://hooks.example.com/x", true)).toMatch(/https:\/\//);
    expect(refusedUrl("https://user:pw@hooks.example.com/x", false)).toMatch(/user name and password/);
    expect(refusedUrl("https://localhost/x", false)).toMatch(/localhost/);
    expect(refusedUrl("https://169.254.169.254/latest/meta-data/", false)).toMatch(/link-local/);
    expect(refusedUrl("https://[::1]/x", false)).toMatch(/loopback/);
    expect(refusedUrl("https://[::ffff:127.0.0.1]/x", false)).toMatch(/loopback/);
    expect(refusedUrl("https://10.0.0.8/x", false)).toMatch(/private/);
    // The tests' and the demo's setting lets them through.
    expect(refusedUrl("http://127.0.0.1:9999/x", true)).toBeNull();
  });
});

describe("the pinned lookup", () => {
  it("refuses a host name that resolves to a loopback address, at connection time", async () => {
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => guardedLookup(false)("localhost", { family: 4 }, (e) => resolve(e)));
    expect(err?.code).toBe("EWEBHOOKADDRESS");
    expect(err?.message).toMatch(/localhost resolves to a loopback address \(127\.0\.0\.1\)/);
    const ok = await new Promise<string>((resolve, reject) => guardedLookup(true)("localhost", { family: 4 }, (e, address) => (e ? reject(e) : resolve(address as string))));
    expect(ok).toBe("127.0.0.1");
  });

  it("never connects to a private address, whatever the URL looks like", async () => {
    let hits = 0;
    const server = createServer((req, res) => {
      hits++;
      res.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const event = { type: "webhook.test" as const };
      // This machine's name resolves to a loopback address here (/etc/hosts) but is no literal
      // refusedUrl can see: the lookup refuses it when connecting.
      const local = hostname();
      expect((await lookup(local, { family: 4 })).address).toMatch(/^127\./);
      for (const url of [`https://127.0.0.1:${port}/x`, `http://localhost:${port}/x`, `https://localhost.:${port}/x`, `https://${local}:${port}/x`]) {
        const result = await sendOnce({ kind: "json", url, secret: "whsec_x" }, "{}", event, "d", { allowPrivate: false });
        expect(result, url).toMatchObject({ ok: false, permanent: true });
      }
      expect(hits).toBe(0);
      const allowed = await sendOnce({ kind: "json", url: `http://localhost:${port}/x`, secret: "whsec_x" }, "{}", event, "d", { allowPrivate: true });
      expect(allowed).toEqual({ ok: true, status: 200 });
      expect(hits).toBe(1);
    } finally {
      server.close();
    }
  });
});
