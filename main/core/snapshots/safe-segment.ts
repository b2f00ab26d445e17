/** Host ids and channel names as file names of the snapshot history: one path segment each, reversibly. */

/** A name that is safe as one path segment: kept when plain, else `~` + hex (`~` never occurs in a plain name). */
export function safeSegment(name: string): string {
  return /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/.test(name) ? name : `~${Buffer.from(name, 'utf8').toString('hex')}`;
}

/** The name a `safeSegment` stands for. */
export function fromSafeSegment(segment: string): string {
  return segment.startsWith('~') ? Buffer.from(segment.slice(1), 'hex').toString('utf8') : segment;
}
