// Client-safe limits of a password (the forms show them; lib/auth/passwords.ts hashes).
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;
