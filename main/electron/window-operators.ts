/**
 * Who acts from each desktop window: the name signed in there (`session.signIn`), so every action over IPC is
 * attributed to the person at the desk rather than to the OS account. Free of the 'electron' import: unit-tested.
 */
import type { DispatchResult } from '../core/dispatch';

export class WindowOperators {
  private readonly names = new Map<number, string>();

  /** The signed-in name of a window, else the fallback (the OS user, before the first sign-in). */
  nameFor(senderId: number, fallback: string): string {
    return this.names.get(senderId) ?? fallback;
  }

  /**
   * Learns from a finished call: a successful sign-in names the window, a sign-out forgets it. True when a window
   * got its first name, so the shell can forget it when the window goes.
   */
  noteCall(senderId: number, kind: 'query' | 'command', name: string, result: DispatchResult): boolean {
    if (kind !== 'command' || !result.ok) return false;
    if (name === 'session.signOut') this.names.delete(senderId);
    if (name !== 'session.signIn') return false;
    const first = !this.names.has(senderId);
    this.names.set(senderId, (result.value as { operator: string }).operator);
    return first;
  }

  forget(senderId: number): void {
    this.names.delete(senderId);
  }
}
