"use client";

import { useCallback, useRef, useState } from "react";
import { ApiError, apiFetch, errorFrom } from "@/components/api/client";
import type { MenuData, MenuRole } from "@/lib/catalog/menu-types";
import { parseMenuData } from "./menu-data";
import { indexMenu, searchMenu, usageOrder, type MenuIndex } from "./search";

export type Loaded = {
  data: MenuData;
  index: MenuIndex;
  /** Pins and recents as they are now: the data's, plus what changed in this page since. */
  usage: MenuRole[];
};

export type MenuState =
  | { status: "idle" }
  | { status: "loading" }
  | { status: "error"; error: ApiError }
  | ({ status: "ready"; refreshError: ApiError | null } & Loaded);

/** A refresh on open is skipped when the data is younger than this: opening and closing the
 * menu a few times in a row should not refetch 5,000 roles each time. */
const FRESH_MS = 15_000;

/** Runs the search a few times while the page is idle, so that the first keystroke in the menu
 * does not also pay for compiling it (on 5,000 roles, a cold first search takes several frames). */
function warmUp(index: MenuIndex, data: MenuData): void {
  const run = () => {
    const order = usageOrder(index, data.roles);
    for (const query of ["p", "pr", "prod", "adm", "1234", "raedonly"]) searchMenu(index, query, order);
  };
  if (typeof requestIdleCallback === "function") requestIdleCallback(run, { timeout: 2000 });
  else setTimeout(run, 0);
}

/** The menu's data: fetched once (on idle, hover, or the first open), kept while the page lives
 * (the header survives client-side navigation), refreshed in the background on later opens.
 * A refresh that returns the same bytes keeps the index; one that fails keeps the old data. */
export function useMenuData() {
  const [state, setState] = useState<MenuState>({ status: "idle" });
  const inflight = useRef<Promise<void> | null>(null);
  const last = useRef<{ raw: string; at: number } | null>(null);

  const load = useCallback((reason: "prefetch" | "open") => {
    if (inflight.current) return inflight.current;
    const have = last.current;
    if (have && (reason === "prefetch" || Date.now() - have.at < FRESH_MS)) return Promise.resolve();
    if (!have) setState((s) => (s.status === "ready" ? s : { status: "loading" }));

    const run = (async () => {
      try {
        const res = await apiFetch("/api/v1/me/menu");
        if (!res.ok) throw await errorFrom(res);
        const raw = await res.text();
        if (last.current?.raw === raw) {
          last.current = { raw, at: Date.now() };
          setState((s) => (s.status === "ready" ? { ...s, refreshError: null } : s));
          return;
        }
        let data: MenuData | null = null;
        try {
          data = parseMenuData(JSON.parse(raw));
        } catch {
          data = null;
        }
        if (!data) throw new ApiError(res.status, { code: "bad_response", message: "The console sent menu data this page cannot read. Reload the page." });
        // The one expensive step (a few ms for 5,000 roles), once per change of the data.
        const index = indexMenu(data);
        last.current = { raw, at: Date.now() };
        setState({ status: "ready", refreshError: null, data, index, usage: data.roles });
        warmUp(index, data);
      } catch (err) {
        const error = err instanceof ApiError ? err : new ApiError(0, { code: "unexpected", message: "The menu could not be loaded." });
        setState((s) => (s.status === "ready" ? { ...s, refreshError: error } : { status: "error", error }));
      } finally {
        inflight.current = null;
      }
    })();
    inflight.current = run;
    return run;
  }, []);

  /** Changes one role's pins/recents in place (optimistic updates). */
  const patchUsage = useCallback((role: number, patch: Partial<Pick<MenuRole, "pinned" | "lastUsedAt" | "uses">>) => {
    setState((s) => {
      if (s.status !== "ready" || !s.usage[role]) return s;
      const usage = s.usage.slice();
      usage[role] = { ...usage[role]!, ...patch };
      return { ...s, usage };
    });
  }, []);

  return { state, load, patchUsage };
}
