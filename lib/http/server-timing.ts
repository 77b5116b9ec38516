import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";

// Server-Timing (https://www.w3.org/TR/server-timing/): how long each step of a request took,
// in the response, for the browser's network panel and for `npm run bench:switch`. Names and
// durations only; never a value from the request or from AWS.

type Mark = { name: string; ms: number };

const marks = new AsyncLocalStorage<Mark[]>();

/** Runs `fn` collecting the marks that `timed` records inside it. */
export function collectServerTiming<T>(fn: () => Promise<T>): Promise<{ result: T; header: () => string }> {
  const list: Mark[] = [];
  const started = performance.now();
  return marks.run(list, async () => {
    const result = await fn();
    return { result, header: () => serverTimingHeader([...list, { name: "total", ms: performance.now() - started }]) };
  });
}

/** Times one step when a collector is active (and costs nothing measurable when not). */
export async function timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const list = marks.getStore();
  if (!list) return fn();
  const started = performance.now();
  try {
    return await fn();
  } finally {
    list.push({ name, ms: performance.now() - started });
  }
}

export function serverTimingHeader(list: Mark[]): string {
  return list.map((m) => `${m.name};dur=${m.ms.toFixed(2)}`).join(", ");
}
