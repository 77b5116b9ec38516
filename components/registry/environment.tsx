import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { Environment } from "@/lib/domain/environments";

export const ENVIRONMENT_LABELS: Record<Environment, string> = {
  production: "Production",
  staging: "Staging",
  development: "Development",
  test: "Test",
  operations: "Operations",
  sandbox: "Sandbox",
  other: "Other",
};

const TONES: Record<Environment, BadgeTone> = {
  production: "red",
  staging: "amber",
  development: "sky",
  test: "violet",
  operations: "emerald",
  sandbox: "slate",
  other: "slate",
};

export function EnvironmentBadge({ environment }: { environment: Environment }) {
  return <Badge tone={TONES[environment]}>{ENVIRONMENT_LABELS[environment]}</Badge>;
}

/** The account's (or role's) colour as a thin vertical bar, the same cue the Switch Role menu uses. */
export function ColorBar({ color, className = "h-8" }: { color: string; className?: string }) {
  return <span aria-hidden className={`inline-block w-1.5 shrink-0 rounded-full ${className}`} style={{ backgroundColor: color }} />;
}
