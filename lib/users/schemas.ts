import { z } from "zod";
import { CONSOLE_ROLES } from "@/lib/config/schema";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "@/lib/auth/password-policy";

export const emailField = z
  .string({ error: "Enter an email address" })
  .trim()
  .toLowerCase()
  .max(320, "An email address has at most 320 characters")
  .pipe(z.email("Enter a valid email address, like alice@example.com"));

export const nameField = z.string({ error: "Enter a name" }).trim().min(1, "Enter a name").max(100, "A name has at most 100 characters");

export const passwordField = z
  .string({ error: "Enter a password" })
  .min(MIN_PASSWORD_LENGTH, `A password needs at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `A password has at most ${MAX_PASSWORD_LENGTH} characters`);

export const roleField = z.enum(CONSOLE_ROLES, { error: `Choose a console role: ${CONSOLE_ROLES.join(", ")}` });

export const userIdField = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "Not a user id");

export const createUserInput = z.object({ email: emailField, name: nameField, password: passwordField, role: roleField }).strict();
export type CreateUserInput = z.infer<typeof createUserInput>;

export const updateUserInput = z
  .object({
    name: nameField.optional(),
    role: roleField.optional(),
    disabled: z.boolean({ error: "disabled must be true or false" }).optional(),
    password: passwordField.optional(),
  })
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), "Nothing to change: send name, role, disabled or password");
export type UpdateUserInput = z.infer<typeof updateUserInput>;

export const setupInput = z
  .object({
    email: emailField,
    name: nameField,
    password: passwordField,
    token: z.string({ error: "Enter the setup token from the server's log" }).trim().min(1, "Enter the setup token from the server's log").max(200, "That is not a setup token"),
  })
  .strict();
