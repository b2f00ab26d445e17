import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { decodeAnswer, encodeUpdate, signMessage, type TsigKey, type UpdateRequest } from './dns-update';

export interface DnsServer {
  host: string;
  port: number;
}

export interface DnsUpdateResult {
  ok: boolean;
  rcodeText: string;
  tookMs: number;
  detail: string;
}

/** Sends one TSIG-signed RFC 2136 update over UDP and reads the verdict; retries once on a lost datagram. */
export async function sendDnsUpdate(server: DnsServer, key: TsigKey, req: UpdateRequest, timeoutMs = 2000): Promise<DnsUpdateResult> {
  const started = Date.now();
  const id = randomInt(0, 0x10000);
  const { signed, mac } = signMessage(encodeUpdate(id, req), key, Math.floor(Date.now() / 1000));
  let answer: Buffer | null = null;
  let lastError = '';
  for (let attempt = 0; attempt < 2 && !answer; attempt++) {
    try {
      answer = await exchange(server, signed, id, timeoutMs);
    } catch (err) {
      lastError = (err as Error).message;
    }
  }
  const tookMs = Date.now() - started;
  if (!answer) return { ok: false, rcodeText: 'TIMEOUT', tookMs, detail: `no answer from ${server.host}:${server.port} (${lastError})` };
  const decoded = decodeAnswer(answer, key, mac);
  if (decoded.signatureValid === false) return { ok: false, rcodeText: decoded.rcodeText, tookMs, detail: 'the answer is not signed with our key: ignored' };
  if (decoded.rcode !== 0) {
    const why = decoded.tsigError ? ` (TSIG error ${decoded.tsigError}: check the key name and secret)` : '';
    return { ok: false, rcodeText: decoded.rcodeText, tookMs, detail: `the server refused the update: ${decoded.rcodeText}${why}` };
  }
  if (decoded.signatureValid !== true) return { ok: false, rcodeText: decoded.rcodeText, tookMs, detail: 'the answer carried no signature' };
  return { ok: true, rcodeText: 'NOERROR', tookMs, detail: `${req.name} ${req.type} → ${req.addresses.join(', ')}` };
}

function exchange(server: DnsServer, message: Buffer, id: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(isIPv6(server.host) ? 'udp6' : 'udp4');
    const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    function finish(err: Error | null, answer?: Buffer) {
      clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else resolve(answer!);
    }
    socket.on('error', (err) => finish(err));
    socket.on('message', (msg) => {
      if (msg.length >= 2 && msg.readUInt16BE(0) === id) finish(null, msg);
    });
    socket.send(message, server.port, server.host, (err) => err && finish(err));
  });
}
