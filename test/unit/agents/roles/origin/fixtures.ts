import { readFileSync } from 'node:fs';
import type { HttpGet } from '../../../../../agents/roles/origin/adapter';

const dir = new URL('../../../../fixtures/origins/', import.meta.url);

export function fixtureText(name: string): string {
  return readFileSync(new URL(name, dir), 'utf8');
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(fixtureText(name));
}

/** An HttpGet that answers from a table of URL → fixture and records what was asked. */
export function fixtureServer(routes: Record<string, string | { status: number; body: string }>): HttpGet & { asked: string[] } {
  const asked: string[] = [];
  const get = async (url: string) => {
    asked.push(url);
    const route = routes[url];
    if (route === undefined) return { status: 404, body: 'not found' };
    return typeof route === 'string' ? { status: 200, body: fixtureText(route) } : route;
  };
  return Object.assign(get, { asked });
}
