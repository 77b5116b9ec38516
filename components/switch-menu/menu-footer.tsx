"use client";

import { ChevronDown, Globe } from "lucide-react";
import { useRef, useState, type ReactNode } from "react";
import { REGIONS } from "@/lib/aws/partitions";
import type { MenuData } from "@/lib/catalog/menu-types";
import type { MenuRows } from "./rows";

/** Under the list: the region the next switch uses, the count of roles, and the keys. */
export function MenuFooter({
  ids,
  data,
  rows,
  activeRole,
  region,
  onRegion,
  effectiveRegion,
  requesting,
  isMac,
}: {
  ids: string;
  data: MenuData | null;
  rows: MenuRows | null;
  activeRole: number;
  region: string;
  onRegion: (region: string) => void;
  effectiveRegion: string;
  /** The active row is an entry to ask for ("request"), or one already asked for ("requested"):
   * Enter goes to the request, and there is nothing else to do. */
  requesting: "request" | "requested" | null;
  isMac: boolean;
}) {
  // The region <select> appears when asked for: a select is a second "combobox" to assistive
  // technology (and to getByRole), which would compete with the search box it sits under.
  const [picking, setPicking] = useState(false);
  const openPicker = useRef(false);
  const role = data && activeRole >= 0 ? data.roles[activeRole] : undefined;
  const partition = role ? (data?.accounts[role.a]?.partition ?? "aws") : "aws";
  const regions = REGIONS[partition] ?? [];
  // What the next switch uses: the pick when it belongs to this role's partition, else the
  // role's own default.
  const value = role && region && effectiveRegion === region ? region : "";
  const groups = rows ? rows.codes.length - rows.options : 0;
  const count = rows ? `${COUNT.format(rows.options)} ${rows.options === 1 ? "role" : "roles"} in ${COUNT.format(groups)} ${groups === 1 ? "group" : "groups"}` : "";
  const mod = isMac ? "⌘" : "Ctrl";
  return (
    // In the panel (lg up) it is one line of a fixed height, so its size never depends on the
    // region or the count: what a keystroke changes here is laid out here. In the full-screen
    // sheet it may wrap.
    <div className="flex shrink-0 flex-wrap items-center gap-x-4 gap-y-1 border-t border-slate-200 bg-slate-50 px-3 py-2 text-xs text-slate-600 lg:h-[45px] lg:flex-nowrap lg:[contain:strict]">
      {picking ? (
        <label className="flex items-center gap-2">
          <span className="font-medium text-slate-700">Region</span>
          <select
            ref={(el) => {
              // Opened straight away, once: the click that asked for it is still a user activation.
              if (el && openPicker.current) {
                openPicker.current = false;
                el.focus();
                try {
                  el.showPicker();
                } catch {
                  // older browsers: focused is enough
                }
              }
            }}
            value={value}
            onChange={(e) => onRegion(e.target.value)}
            disabled={!role}
            className="h-7 max-w-64 rounded-md border border-slate-300 bg-white px-1.5 text-xs text-slate-800 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none"
            data-testid="switch-menu-region"
          >
            <option value="">{role ? `Role default (${role.region})` : "Role default"}</option>
            {regions.map((r) => (
              <option key={r.code} value={r.code}>
                {r.code} · {r.name}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <button
          type="button"
          disabled={!role}
          onClick={() => {
            openPicker.current = true;
            setPicking(true);
          }}
          className="flex h-7 items-center gap-1.5 rounded-md border border-slate-300 bg-white px-2 text-xs text-slate-700 hover:bg-slate-100 disabled:text-slate-400"
          aria-label={`Region: ${effectiveRegion || "the role's default"}${value ? "" : " (role default)"}. Change`}
          data-testid="switch-menu-region-button"
        >
          <Globe className="h-3.5 w-3.5 text-slate-500" aria-hidden />
          <span className="font-medium">{effectiveRegion || "Region"}</span>
          {role && !value ? <span className="text-slate-500">default</span> : null}
          <ChevronDown className="h-3.5 w-3.5 text-slate-400" aria-hidden />
        </button>
      )}
      {/* The count changes on every keystroke; its box takes the room left on the line, not the
          text's width, so its layout stays there. */}
      <span role="status" className="min-w-32 flex-1 truncate tabular-nums" style={{ height: 16, contain: "strict" }}>
        {count}
      </span>
      <span id={`${ids}-hints`} className="ml-auto hidden items-center gap-3 sm:flex">
        {requesting ? (
          <Hint keys="↵">{requesting === "requested" ? "Your request" : "Request"}</Hint>
        ) : (
          <>
            <Hint keys="↵">Console</Hint>
            <Hint keys="⇧↵">Credentials</Hint>
            <Hint keys={`${mod} P`}>Pin</Hint>
          </>
        )}
        <Hint keys="↑↓">Move</Hint>
      </span>
    </div>
  );
}

/** One formatter for the counts (Number.prototype.toLocaleString builds a new one on every call,
 * and the count changes on every keystroke). */
const COUNT = new Intl.NumberFormat();

function Hint({ keys, children }: { keys: string; children: ReactNode }) {
  return (
    <span className="flex items-center gap-1">
      <kbd className="rounded border border-slate-300 bg-white px-1 font-sans text-[11px] text-slate-600">{keys}</kbd>
      {children}
    </span>
  );
}
