// What every part of the sandbox shares: the world, the codecs, injected faults and the call log.
import { randomUUID } from "node:crypto";
import { AwsError } from "./errors";
import type { ServiceCodec } from "./model";
import type { Caller, World } from "./world";

export type ServiceName = "sts" | "iam" | "organizations" | "signin";

/** The context an API operation runs in. */
export type ApiContext = {
  world: World;
  caller: Caller;
  requestId: string;
  region: string;
  sourceIp: string;
  userAgent?: string;
  /** Non-secret request details to keep in the call log (e.g. RoleArn, RoleSessionName). */
  note: Record<string, string | number | boolean>;
};

// Inputs are validated against the AWS model before a handler runs, so handlers may treat
// them as the model's shapes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ApiHandler = (input: any, ctx: ApiContext) => Record<string, unknown> | void;

export type FaultRule = {
  id: string;
  service?: ServiceName;
  action?: string;
  /** Error to answer with; absent for latency-only rules. */
  code?: string;
  status?: number;
  message?: string;
  /** Apply this many times, then retire the rule. */
  count?: number;
  /** Probability (0–1) that a matching call is hit. */
  rate?: number;
  latencyMs?: number;
  hits: number;
};

export type CallRecord = {
  seq: number;
  time: string;
  service: ServiceName;
  action: string;
  accountId?: string;
  caller?: string;
  outcome: string;
  status: number;
  durationMs: number;
  detail: Record<string, string | number | boolean>;
};

const MAX_CALLS = 20_000;

export class Faults {
  private rules: FaultRule[] = [];

  add(rule: Omit<FaultRule, "id" | "hits">): FaultRule {
    const full = { ...rule, id: randomUUID(), hits: 0 };
    this.rules.push(full);
    return full;
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  /** The rules that hit this call now (consuming counts), in the order they were added. */
  take(service: ServiceName, action: string): FaultRule[] {
    const hit: FaultRule[] = [];
    for (const rule of this.rules) {
      if (rule.service && rule.service !== service) continue;
      if (rule.action && rule.action.toLowerCase() !== action.toLowerCase()) continue;
      if (rule.rate !== undefined && Math.random() >= rule.rate) continue;
      rule.hits++;
      hit.push({ ...rule });
      if (rule.count !== undefined) rule.count--;
    }
    this.rules = this.rules.filter((r) => r.count === undefined || r.count > 0);
    return hit;
  }

  /** Waits for injected latency, then throws the injected error, if any. */
  async apply(service: ServiceName, action: string, codec?: ServiceCodec): Promise<void> {
    const hits = this.take(service, action);
    const latency = hits.reduce((sum, r) => sum + (r.latencyMs ?? 0), 0);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    const failing = hits.find((r) => r.code);
    if (failing?.code) {
      const status = failing.status ?? codec?.statusForError(failing.code) ?? (failing.code.startsWith("Throttl") ? 400 : 500);
      throw new AwsError(failing.code, failing.message ?? `Injected fault: ${failing.code}`, status, status >= 500 ? "Receiver" : "Sender");
    }
  }
}

export class CallLog {
  private records: CallRecord[] = [];
  private seq = 0;

  add(record: Omit<CallRecord, "seq">): void {
    this.records.push({ ...record, seq: ++this.seq });
    if (this.records.length > MAX_CALLS) this.records.splice(0, this.records.length - MAX_CALLS);
  }

  list(filter: { since?: number; service?: string; action?: string } = {}): CallRecord[] {
    return this.records.filter(
      (r) =>
        (filter.since === undefined || r.seq > filter.since) &&
        (!filter.service || r.service === filter.service) &&
        (!filter.action || r.action === filter.action),
    );
  }

  clear(): void {
    this.records = [];
  }

  get lastSeq(): number {
    return this.seq;
  }
}
