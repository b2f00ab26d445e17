import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { accessForSender, appUrlToFile, isAppFrameUrl } from '../../../main/electron/ipc-guard';

describe('IPC guard of the desktop shell', () => {
  it('lets only frames of the app origin call the engine', () => {
    assert.equal(isAppFrameUrl('app://tally/index.html#/wall'), true);
    for (const url of ['https://evil.example/', 'app://tally.evil/index.html', 'file:///etc/passwd', 'app://other/', '', undefined, 'not a url']) {
      assert.equal(isAppFrameUrl(url), false, String(url));
    }
  });

  it('gives the wall window viewer access only', () => {
    assert.equal(accessForSender(7, 7), 'viewer');
    assert.equal(accessForSender(3, 7), 'operator');
    assert.equal(accessForSender(3, null), 'operator');
  });

  it('maps app:// URLs to files inside the renderer folder only', () => {
    const root = '/opt/tally/out/renderer';
    const map = (url: string) => appUrlToFile(url, root, path.posix.resolve, '/');
    assert.equal(map('app://tally/index.html'), '/opt/tally/out/renderer/index.html');
    assert.equal(map('app://tally/assets/a.js'), '/opt/tally/out/renderer/assets/a.js');
    // The URL parser already folds plain dot segments back inside the root …
    for (const url of ['app://tally/../secret', 'app://tally/%2e%2e/secret']) assert.equal(map(url), '/opt/tally/out/renderer/secret', url);
    // … and what it cannot see (encoded slashes, NUL, bad escapes, another host) is refused.
    for (const url of ['app://tally/..%2f..%2fetc%2fpasswd', 'app://tally/a%00b', 'app://evil/index.html', 'app://tally/%E0%A4%A']) {
      assert.equal(map(url), null, url);
    }
  });
});
