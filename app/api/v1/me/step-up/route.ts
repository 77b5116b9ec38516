import { stepUpInput, stepUpWithPassword } from "@/lib/auth/step-up";
import { apiRoute } from "@/lib/http/api";

// POST /api/v1/me/step-up — { password }: confirm who you are again, so that creating roles and
// changing trust policies (which need a sign-in from the last 15 minutes) work for 15 minutes more
export const POST = apiRoute({ permission: null, body: stepUpInput }, async ({ actor, body, meta }) => stepUpWithPassword(actor, body.password, meta));
