import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  channelOfFileName,
  listChannelFiles,
  readChannelFile,
  sha256Hex,
} from '../../../../../agents/roles/transcoder/channel-files';
import { loadStoppedChannels, saveStoppedChannels, STOPPED_FILE } from '../../../../../agents/roles/transcoder/stopped-channels';

const config = (name: string) => `${JSON.stringify({ name, input: { url: 'lavfi:testsrc2' }, outputs: [{ type: 'hls' }] }, null, 2)}\n`;

describe('channel files', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tally-channel-files-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a good file: its bytes, their sha256 and the config', async () => {
    writeFileSync(path.join(dir, 'news.json'), config('news'));
    const file = await readChannelFile(dir, 'news', 65536);
    assert.equal(file.exists, true);
    assert.equal(file.problem, null);
    assert.equal(file.config?.name, 'news');
    assert.equal(file.hash, sha256Hex(Buffer.from(config('news'))));
  });

  it('says a missing file does not exist', async () => {
    const file = await readChannelFile(dir, 'nothing', 65536);
    assert.deepEqual([file.exists, file.hash, file.problem], [false, null, null]);
  });

  it('hashes a corrupt file and says why it cannot be used', async () => {
    writeFileSync(path.join(dir, 'broken.json'), '{"name": "broken", ');
    const file = await readChannelFile(dir, 'broken', 65536);
    assert.equal(file.hash, sha256Hex(Buffer.from('{"name": "broken", ')));
    assert.equal(file.config, null);
    assert.match(file.problem ?? '', /not JSON/);
  });

  it('refuses a file over the size limit without reading it', async () => {
    writeFileSync(path.join(dir, 'huge.json'), Buffer.alloc(2000, 0x20));
    const file = await readChannelFile(dir, 'huge', 1000);
    assert.equal(file.hash, null);
    assert.match(file.problem ?? '', /2000 bytes, over the 1000-byte limit/);
  });

  it('refuses a FIFO or a folder instead of blocking on it', async () => {
    execFileSync('mkfifo', [path.join(dir, 'pipe.json')]);
    mkdirSync(path.join(dir, 'folder.json'));
    for (const name of ['pipe', 'folder']) {
      const file = await readChannelFile(dir, name, 65536);
      assert.match(file.problem ?? '', /not a regular file/, name);
    }
  });

  it('lists channel files, leaving out dot files, temp files and names that cannot be channels', async () => {
    const listing = mkdtempSync(path.join(os.tmpdir(), 'tally-listing-'));
    try {
      for (const f of ['a.json', 'b.json', '.a.json.123.tmp', STOPPED_FILE, 'notes.txt', 'with space.json']) writeFileSync(path.join(listing, f), '{}');
      assert.deepEqual(await listChannelFiles(listing), { names: ['a', 'b'], ignored: ['with space.json'] });
    } finally {
      rmSync(listing, { recursive: true, force: true });
    }
  });

  const fileNames: [string, string | null][] = [
    ['news.json', 'news'],
    ['.news.json.99.ab12.tmp', null],
    ['news.json~', null],
    ['news.txt', null],
    ['bad name.json', null],
  ];
  for (const [fileName, channel] of fileNames) {
    it(`the watcher maps ${fileName} to ${channel ?? 'nothing'}`, () => assert.equal(channelOfFileName(fileName), channel));
  }
});

describe('the stopped-channels file', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tally-stopped-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('starts empty, and keeps what was saved', async () => {
    assert.deepEqual(await loadStoppedChannels(dir), { stopped: new Set(), problem: null });
    await saveStoppedChannels(dir, new Set(['b', 'a']));
    assert.deepEqual(await loadStoppedChannels(dir), { stopped: new Set(['a', 'b']), problem: null });
  });

  it('reports a corrupt file and leaves it as it is', async () => {
    writeFileSync(path.join(dir, STOPPED_FILE), '{"stopped": [');
    const loaded = await loadStoppedChannels(dir);
    assert.match(loaded.problem ?? '', /not JSON/);
    assert.equal(readFileSync(path.join(dir, STOPPED_FILE), 'utf8'), '{"stopped": [');
  });
});
