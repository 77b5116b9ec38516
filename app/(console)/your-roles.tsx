"use client";

import { ArrowLeftRight, ArrowRight, ExternalLink, KeyRound, Pin } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from "react";
import { CredentialsDialog } from "@/components/credentials/credentials-dialog";
import { EnvironmentBadge } from "@/components/registry/environment";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { announceSwitch, listenForSwitches, openSwitchMenu } from "@/components/switch-menu/events";
import { formatAccountId, safeColor, timeAgo } from "@/components/switch-menu/format";
import { openInNewTab, switchUrl } from "@/components/switch-menu/open-console";
import { accessEndsText, utcMinuteText } from "@/lib/catalog/grant-expiry";
import { testedAgo, whyLabel } from "@/lib/catalog/health";
import type { YourRole, YourRoles } from "@/lib/catalog/your-roles";

const noSubscribe = () => () => {};
const isApplePlatform = () => /Mac|iPhone|iPad/.test(navigator.platform);

/** "Ctrl K" or "⌘K", as the header's button says it. */
function useShortcutLabel(): string {
  return useSyncExternalStore(noSubscribe, isApplePlatform, () => false) ? "⌘K" : "Ctrl K";
}

/** Opens the Switch Role menu in the header (it holds every role, with search). */
export function OpenMenuButton() {
  const shortcut = useShortcutLabel();
  return (
    <Button variant="secondary" onClick={openSwitchMenu} data-testid="home-open-menu">
      <ArrowLeftRight className="h-4 w-4" aria-hidden />
      Search all roles
      <kbd className="hidden rounded border border-slate-300 px-1.5 font-sans text-[11px] font-normal text-slate-500 sm:inline">{shortcut}</kbd>
    </Button>
  );
}

/** The getting-started card that opens the menu rather than going to another page. The title is
 * the button (a heading cannot sit inside a button); it stretches over the whole card. */
export function SwitchRoleCard({ title, text }: { title: string; text: string }) {
  return (
    <Card className="relative h-full p-5 transition-shadow hover:shadow-md has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-indigo-500">
      <h3 className="flex items-center justify-between font-semibold text-slate-900">
        <button type="button" onClick={openSwitchMenu} className="text-left after:absolute after:inset-0 after:rounded-lg focus-visible:outline-none" data-testid="home-switch-card">
          {title}
        </button>
        <ArrowRight className="h-4 w-4 text-slate-400" aria-hidden />
      </h3>
      <p className="mt-1 text-sm text-slate-600">{text}</p>
    </Card>
  );
}

type CredentialsFor = { role: YourRole; returnFocus: HTMLElement | null };

/**
 * The person's own roles, in three groups (pinned, recent, the rest), each with the menu's two
 * actions: Console (a POST to /switch/<id> into a new tab, as the menu does) and Credentials (the
 * menu's credentials dialog). A switch that works is announced to the header's menu and this page
 * refreshes its Recent group; one that fails changes neither.
 */
export function YourRolesList({ roles, headingLevel = 2 }: { roles: YourRoles; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const router = useRouter();
  const [credentials, setCredentials] = useState<CredentialsFor | null>(null);
  const [opened, setOpened] = useState<{ text: string; blocked?: { href: string; label: string } } | null>(null);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const list = useRef<HTMLDivElement>(null);
  // The role and button that last had the keyboard's focus in this list. A switch moves its role
  // into Recent, a different group, so the row is drawn anew and the focused button is gone: the
  // focus then follows the role to its new row instead of falling back to the page.
  const lastFocus = useRef<{ roleId: string; testId: string } | null>(null);

  // A switch made anywhere (this page, the menu, another tab) reorders Recent: re-read it.
  useEffect(() => {
    const stop = listenForSwitches(() => {
      clearTimeout(refreshTimer.current);
      refreshTimer.current = setTimeout(() => router.refresh(), 300);
    });
    return () => {
      stop();
      clearTimeout(refreshTimer.current);
    };
  }, [router]);

  useLayoutEffect(() => {
    const last = lastFocus.current;
    const active = document.activeElement;
    if (!last || (active && active !== document.body && active.isConnected)) return;
    list.current?.querySelector<HTMLElement>(`li[data-role-id="${CSS.escape(last.roleId)}"] [data-testid="${CSS.escape(last.testId)}"]`)?.focus();
  }, [roles]);

  const noteFocus = (event: React.FocusEvent<HTMLDivElement>) => {
    const button = (event.target as HTMLElement).closest<HTMLElement>("[data-testid^='your-role-']");
    const roleId = button?.closest<HTMLElement>("li[data-role-id]")?.dataset.roleId;
    lastFocus.current = button && roleId ? { roleId, testId: button.dataset.testid ?? "" } : null;
  };

  const openConsole = (role: YourRole) => {
    const href = switchUrl(role, role.region);
    if (openInNewTab(href)) setOpened({ text: `Opening the AWS console for ${role.label} in ${role.account.name} in a new tab.` });
    // The link leads to the switch's confirmation page, which opens the console on a click.
    else setOpened({ text: "Your browser blocked the new tab.", blocked: { href, label: `Open ${role.label} in ${role.account.name}` } });
  };

  const closeCredentials = () => {
    const target = credentials?.returnFocus;
    setCredentials(null);
    if (target?.isConnected) target.focus();
    // Its row was drawn anew while the dialog was open (the switch moved it into Recent).
    else if (credentials) list.current?.querySelector<HTMLElement>(`li[data-role-id="${CSS.escape(credentials.role.id)}"] [data-testid="your-role-credentials"]`)?.focus();
  };

  const groups = [
    { id: "pinned", title: "Pinned", roles: roles.pinned },
    { id: "recent", title: "Recent", roles: roles.recent },
    { id: "others", title: roles.pinned.length || roles.recent.length ? "Also granted to you" : "Granted to you", roles: roles.others },
  ].filter((g) => g.roles.length > 0);

  return (
    <div className="space-y-6" data-testid="your-roles" ref={list} onFocus={noteFocus}>
      {groups.map((group) => (
        <section key={group.id} aria-labelledby={`your-roles-${group.id}`}>
          <Heading id={`your-roles-${group.id}`} className="mb-2 text-sm font-semibold text-slate-700">
            {group.title}
          </Heading>
          <ul className="divide-y divide-slate-100 overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm">
            {group.roles.map((role) => (
              <RoleItem
                key={role.id}
                role={role}
                now={roles.asOf}
                showUsed={group.id === "recent"}
                onConsole={() => openConsole(role)}
                onCredentials={(button) => setCredentials({ role, returnFocus: button })}
              />
            ))}
          </ul>
        </section>
      ))}
      {roles.more > 0 ? (
        <p className="text-sm text-slate-600">
          And {roles.more} more: find them with <strong>Search all roles</strong> or Switch role in the header.
        </p>
      ) : null}
      <p role="status" className="text-sm text-slate-600" data-testid="your-roles-status">
        {opened?.text ?? ""}
        {opened?.blocked ? (
          <>
            {" "}
            <a href={opened.blocked.href} target="_blank" rel="noopener" className="font-medium text-indigo-700 underline">
              {opened.blocked.label}
            </a>
          </>
        ) : null}
      </p>
      {credentials ? (
        <CredentialsDialog
          roleId={credentials.role.id}
          region={credentials.role.region}
          hint={{ roleLabel: credentials.role.label, accountName: credentials.role.account.name }}
          onIssued={() => announceSwitch({ id: credentials.role.id, label: credentials.role.label, accountName: credentials.role.account.name, color: credentials.role.color })}
          onClose={closeCredentials}
        />
      ) : null}
    </div>
  );
}

function RoleItem({ role, now, showUsed, onConsole, onCredentials }: { role: YourRole; now: number; showUsed: boolean; onConsole: () => void; onCredentials: (button: HTMLElement) => void }) {
  const where = ` for ${role.label} in ${role.account.name}`;
  // Access that ends by itself within a day, as the menu marks it (lib/catalog/grant-expiry.ts).
  const ends = accessEndsText(role.accessEndsAt, now);
  return (
    <li className="flex flex-col gap-3 px-4 py-3 sm:flex-row sm:items-center" data-testid="your-role" data-role-id={role.id}>
      <div className="flex min-w-0 flex-1 items-start gap-3">
        <span className="mt-0.5 h-9 w-1 shrink-0 rounded-full" style={{ backgroundColor: safeColor(role.color) }} aria-hidden />
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            {/* A role that failed its last test is greyed out, with the reason, as in the menu. */}
            <span className={`font-medium [overflow-wrap:anywhere] ${role.health ? "text-slate-600" : "text-slate-900"}`}>{role.label}</span>
            {role.name !== role.label ? <span className="font-mono text-xs text-slate-500 [overflow-wrap:anywhere]">{role.name}</span> : null}
            {role.pinned ? (
              <span className="inline-flex items-center text-indigo-600" title="Pinned">
                <Pin className="h-3.5 w-3.5 fill-current" aria-hidden />
                <span className="sr-only">Pinned</span>
              </span>
            ) : null}
            {role.requiresExternalId ? (
              <Badge tone="violet" title="Switchboard sends this role's ExternalId when it assumes it">
                ExternalId
              </Badge>
            ) : null}
            {role.health ? (
              <span data-testid="your-role-health" title={`Failed its last test (${testedAgo(role.health.testedAt, now)}): ${role.health.reason}`}>
                <Badge tone="red">Fails: {whyLabel(role.health.why)}</Badge>
              </span>
            ) : null}
            {ends ? (
              <span data-testid="your-role-ends" title={`Until ${utcMinuteText(role.accessEndsAt!)}`}>
                <Badge tone="amber">{ends}</Badge>
              </span>
            ) : null}
          </div>
          <div className="mt-0.5 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-600">
            <span className="font-medium text-slate-700">{role.account.name}</span>
            <span className="font-mono tabular-nums">{formatAccountId(role.account.id)}</span>
            <EnvironmentBadge environment={role.account.environment} />
            <span>{role.region}</span>
            {showUsed && role.lastUsedAt ? <span>used {timeAgo(role.lastUsedAt, now)}</span> : null}
          </div>
        </div>
      </div>
      <div className="flex shrink-0 gap-2 pl-4 sm:pl-0">
        <Button size="sm" onClick={onConsole} data-testid="your-role-console">
          <ExternalLink className="h-4 w-4" aria-hidden />
          Console<span className="sr-only">{where}</span>
        </Button>
        <Button size="sm" variant="secondary" onClick={(e) => onCredentials(e.currentTarget)} data-testid="your-role-credentials">
          <KeyRound className="h-4 w-4" aria-hidden />
          Credentials<span className="sr-only">{where}</span>
        </Button>
      </div>
    </li>
  );
}
