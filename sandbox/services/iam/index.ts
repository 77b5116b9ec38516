import type { ApiHandler } from "../../core/runtime";

export const iamHandlers: Record<string, ApiHandler> = {};
