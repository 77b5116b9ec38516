import { Checkbox } from "./checkbox";
import type { FindingsGate } from "./findings-gate";

/** Beside the button that sends a policy to AWS: what stops it (the errors), or the box that
 * acknowledges the warnings. Nothing when there is neither. */
export function AcknowledgeWarnings({ id, gate, checked, onChange, proceed }: { id: string; gate: FindingsGate; checked: boolean; onChange: (checked: boolean) => void; proceed: string }) {
  if (gate.errors > 0) return <span className="text-sm text-red-700">Fix the {gate.errors === 1 ? "error" : `${gate.errors} errors`} first.</span>;
  if (gate.warnings === 0) return null;
  return <Checkbox id={id} checked={checked} onChange={onChange} label={`I have read the ${gate.warnings === 1 ? "warning" : `${gate.warnings} warnings`}; ${proceed} anyway`} />;
}
