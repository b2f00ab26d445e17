/**
 * Who is at this desk: the name given at sign-in, remembered for this browser tab (or desktop window) only, so the
 * next shift on the same machine signs in again. The HTTP transport sends it with every call.
 */
const KEY = 'tally.operator';

export function signedInName(): string | null {
  return sessionStorage.getItem(KEY);
}

export function rememberSignIn(name: string): void {
  sessionStorage.setItem(KEY, name);
}

export function forgetSignIn(): void {
  sessionStorage.removeItem(KEY);
}
