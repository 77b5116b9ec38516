"use client";

import { Monitor, Moon, Sun } from "lucide-react";
import { useId, useSyncExternalStore } from "react";
import { applyTheme, currentTheme, subscribeTheme, THEME_CHOICES, THEME_LABELS, type ThemeChoice } from "./theme";

const ICONS = { system: Monitor, light: Sun, dark: Moon } as const;

/** The theme in force on this page: the server's choice (from the cookie) until the person
 * picks another here. */
export function useTheme(initial: ThemeChoice): ThemeChoice {
  return useSyncExternalStore(subscribeTheme, currentTheme, () => initial);
}

/** System / Light / Dark as three radio buttons in a row (the phone menu). Arrow keys move
 * between them, as native radios do. */
export function ThemeRadios({ initial }: { initial: ThemeChoice }) {
  const theme = useTheme(initial);
  const name = useId();
  return (
    <fieldset>
      <legend className="mb-2 text-xs font-semibold tracking-wide text-slate-600 uppercase">Theme</legend>
      <div className="grid grid-cols-3 gap-1 rounded-lg bg-slate-100 p-1">
        {THEME_CHOICES.map((choice) => {
          const Icon = ICONS[choice];
          return (
            <label
              key={choice}
              className="relative flex cursor-pointer items-center justify-center gap-1.5 rounded-md px-2 py-2 text-sm font-medium text-slate-700 has-checked:bg-white has-checked:text-slate-900 has-checked:shadow-sm has-focus-visible:outline-2 has-focus-visible:outline-indigo-500"
            >
              {/* The radio itself, transparent over the whole segment: a tap anywhere on it is a tap on the radio. */}
              <input
                type="radio"
                name={name}
                value={choice}
                checked={theme === choice}
                onChange={() => applyTheme(choice)}
                className="absolute inset-0 h-full w-full cursor-pointer appearance-none opacity-0"
              />
              <Icon className="h-4 w-4" aria-hidden />
              {THEME_LABELS[choice]}
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}

/** The same choice as menu items (the user menu, role="menu"). */
export function ThemeMenuItems({ initial, itemClass }: { initial: ThemeChoice; itemClass: string }) {
  const theme = useTheme(initial);
  const labelId = useId();
  return (
    <div role="group" aria-labelledby={labelId} className="py-1">
      <p id={labelId} className="px-4 pt-1 pb-1 text-xs font-semibold tracking-wide text-slate-600 uppercase">
        Theme
      </p>
      {THEME_CHOICES.map((choice) => {
        const Icon = ICONS[choice];
        return (
          <button key={choice} type="button" role="menuitemradio" aria-checked={theme === choice} tabIndex={-1} onClick={() => applyTheme(choice)} className={itemClass}>
            <Icon className="h-4 w-4" aria-hidden />
            <span className="flex-1">{THEME_LABELS[choice]}</span>
            {theme === choice ? <span className="h-2 w-2 rounded-full bg-indigo-600" aria-hidden /> : null}
          </button>
        );
      })}
    </div>
  );
}
