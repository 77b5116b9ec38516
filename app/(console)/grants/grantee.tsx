import { User, Users } from "lucide-react";

/** Who a grant names, as the Grants page and the access review show it: a person (name and
 * email) or an identity-provider group. */
export function Grantee({ user, group }: { user: { name: string; email: string } | null; group: string | null }) {
  return (
    <span className="flex items-start gap-2">
      {user ? <User className="mt-0.5 h-4 w-4 shrink-0 text-slate-500" aria-hidden /> : <Users className="mt-0.5 h-4 w-4 shrink-0 text-slate-500" aria-hidden />}
      {user ? (
        <span className="min-w-0">
          <span className="block font-medium text-slate-900">{user.name}</span>
          <span className="block text-slate-600 [overflow-wrap:anywhere]">{user.email}</span>
        </span>
      ) : (
        <span className="min-w-0">
          <span className="block text-slate-600">Group</span>
          <span className="block font-mono font-medium text-slate-900 [overflow-wrap:anywhere]">{group}</span>
        </span>
      )}
    </span>
  );
}
