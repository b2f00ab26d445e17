import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseHead } from '../../../../../agents/roles/archive/strict-http-client';

const ok: [string, string, { status: number; contentLength: number; keepAlive: boolean }][] = [
  ['an agent answer', 'HTTP/1.1 200 OK\r\ncontent-type: video/mp2t\r\ncontent-length: 1000', { status: 200, contentLength: 1000, keepAlive: true }],
  ['connection: close', 'HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\nConnection: close', { status: 404, contentLength: 5, keepAlive: false }],
  ['HTTP/1.0 without keep-alive', 'HTTP/1.0 200 OK\r\nContent-Length: 0', { status: 200, contentLength: 0, keepAlive: false }],
];
for (const [name, head, want] of ok) test(`parseHead accepts ${name}`, () => assert.deepEqual(parseHead(head), want));

const refused: [string, string][] = [
  ['chunked encoding', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked'],
  ['no length', 'HTTP/1.1 200 OK\r\ncontent-type: x'],
  ['two lengths', 'HTTP/1.1 200 OK\r\ncontent-length: 1\r\ncontent-length: 2'],
  ['a negative length', 'HTTP/1.1 200 OK\r\ncontent-length: -1'],
  ['a length with junk', 'HTTP/1.1 200 OK\r\ncontent-length: 1000, 1000'],
  ['not HTTP', 'SSH-2.0-OpenSSH\r\ncontent-length: 1'],
  ['a header line without a colon', 'HTTP/1.1 200 OK\r\ncontent-length: 1\r\nnonsense'],
];
for (const [name, head] of refused) test(`parseHead refuses ${name}`, () => assert.throws(() => parseHead(head)));
