"use client";

import { useCallback, useRef, useState } from "react";
import { ApiError, apiFetch, errorFrom } from "@/components/api/client";
import type { MenuData, MenuRole } from "@/lib/catalog/menu-types";
import { decodeMenu, MENU_WIRE_GZIP_TYPE, MENU_WIRE_TYPE } from "@/lib/catalog/menu-wire";
import { browseRows, menuRows } from "./rows";
import { indexMenu, usageOrder, type MenuIndex } from "./search";
import { HEADER_H, ROW_H } from "./sizes";
import { layoutRows } from "./virtual";

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

/** Runs what a keystroke runs (search, rows, their offsets) a few times while the page is idle,
 * so that the first keystroke in the menu does not also pay for compiling it: on 5,000 roles, cold
 * code takes several frames, and the first key ("p": nearly every role matches) is the largest. */
function warmUp(index: MenuIndex, data: MenuData): void {
  const run = () => {
    const order = usageOrder(index, data.roles);
    const browse = browseRows(index, data.roles);
    for (let round = 0; round < 3; round++) {
      for (const query of ["p", "pr", "prod", "prod a", "adm", "1234", "raedonly", "chekcout", "prdro", ""]) layoutRows(menuRows(index, query, order, browse).codes, HEADER_H, ROW_H);
    }
    // Only the code is to be warm: the words' scores cached on the way are forgotten, so that
    // what the person types first is searched for, not looked up.
    index.words.clear();
  };
  if (typeof requestIdleCallback === "function") requestIdleCallback(run, { timeout: 2000 });
  else setTimeout(run, 0);
}

/** The answer's text, unzipped when it came gzipped (the media type says so). */
async function readBody(res: Response): Promise<string> {
  if (res.headers.get("content-type") !== MENU_WIRE_GZIP_TYPE || !res.body) return res.text();
  try {
    return await new Response(res.body.pipeThrough(new DecompressionStream("gzip"))).text();
  } catch {
    throw new ApiError(res.status, { code: "bad_response", message: "The console sent menu data this page cannot read. Reload the page." });
  }
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
        // The compact shape (lib/catalog/menu-wire.ts), gzipped where this browser can unzip it.
        const canUnzip = typeof DecompressionStream === "function";
        const res = await apiFetch("/api/v1/me/menu", { accept: canUnzip ? MENU_WIRE_GZIP_TYPE : MENU_WIRE_TYPE });
        if (!res.ok) throw await errorFrom(res);
        const raw = await readBody(res);
        if (last.current?.raw === raw) {
          last.current = { raw, at: Date.now() };
          setState((s) => (s.status === "ready" ? { ...s, refreshError: null } : s));
          return;
        }
        let data: MenuData | null = null;
        try {
          data = decodeMenu(JSON.parse(raw));
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

  /** The next open refetches, however fresh the data: the person went to ask for a role, and the
   * menu should say "Requested" when they come back, not "Request" again. */
  const invalidate = useCallback(() => {
    if (last.current) last.current = { ...last.current, at: 0 };
  }, []);

  return { state, load, patchUsage, invalidate };
}
