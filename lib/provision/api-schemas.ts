// Request bodies of /api/v1/provisioning beyond the wizard document itself.
import { z } from "zod";
import { wizardDocumentInput } from "@/lib/provision/schema";

export const applyInput = z
  .object({
    document: wizardDocumentInput,
    /** The plan's lint warnings were read and accepted (errors always block). */
    acknowledgeWarnings: z.boolean({ error: "acknowledgeWarnings must be true or false" }).default(false),
  })
  .strict();
