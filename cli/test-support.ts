// Test helpers for cli/*.test.ts: a menu, and an Io that records what a command prints and
// answers its requests from a table instead of a console.
import type { MenuData } from "@/lib/catalog/menu-types";
import type { Io } from "./io";

const account = (id: string, name: string) => ({ id, name, alias: null, environment: "production" as const, color: "#336699", partition: "aws" as const });
const role = (id: string, a: number, name: string, label = name, extra: Partial<MenuData["roles"][number]> = {}) => ({
  id,
  a,
  name,
  label,
  color: "#336699",
  region: "eu-west-1",
  pinned: false,
  lastUsedAt: null,
  uses: 0,
  requiresExternalId: false,
  ...extra,
});

export const MENU: MenuData = {
  accounts: [account("111111111111", "Production"), account("222222222222", "Staging"), account("333333333333", "Sandbox")],
  roles: [
    role("01J00000000000000000000001", 0, "AdminRole", "Admin"),
    role("01J00000000000000000000002", 0, "ReadOnly", "Read only", { region: "us-east-1" }),
    role("01J00000000000000000000003", 1, "AdminRole", "Admin"),
    role("01J00000000000000000000004", 2, "DataScientist", "Data scientist", { pinned: true }),
  ],
  lastRoleId: null,
};

export type Call = { method: string; path: string; headers: Record<string, string>; body?: unknown };
type Answer = { status: number; json?: unknown; text?: string };

export function fakeIo(routes: Record<string, Answer | ((call: Call) => Answer)>, overrides: Partial<Io> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const calls: Call[] = [];
  const fetchStub = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const call: Call = {
      method: init?.method ?? "GET",
      path: url.pathname,
      headers: Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v])),
      body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const route = routes[`${call.method} ${call.path}`];
    if (!route) throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
    const answer = typeof route === "function" ? route(call) : route;
    return new Response(answer.text ?? JSON.stringify(answer.json), { status: answer.status, headers: { "content-type": "application/json" } });
  }) as typeof fetch;
  const io: Io = {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    stdoutIsTTY: false,
    env: {},
    readStdin: async () => null,
    fetch: fetchStub,
    platform: "linux",
    homedir: "/nonexistent",
    ...overrides,
  };
  return { io, calls, stdout: () => out.join(""), stderr: () => err.join("") };
}
