/** The transcoder role's HTTP commands: names and bodies are checked here, the work is done by the channel table. */
import {
  type ChannelCommandResponse,
  type ChannelConfigResponse,
  type ChannelListResponse,
  channelNameProblem,
  type ConfigRefusedBody,
  describeZodError,
  parseChannelConfigBytes,
  PutChannelConfigRequest,
  type PutChannelConfigResponse,
  type RemoveChannelResponse,
  transcoderPaths,
} from '../../protocol';
import type { RoleContext, Route, RouteResult } from '../role';
import { type ChannelTable, CommandError } from './channel-table';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function transcoderRoutes(table: ChannelTable, maxConfigBytes: number, log: RoleContext['log']): Route[] {
  const named = (
    method: Route['method'],
    prefix: string,
    handle: (name: string, body: unknown) => Promise<RouteResult>,
  ): Route => ({
    method,
    path: `${prefix}/:name`,
    async handle({ params, body }) {
      const name = params.name ?? '';
      const problem = channelNameProblem(name);
      if (problem) {
        log('warn', 'refused a channel name', { name: name.slice(0, 100), problem });
        return { status: 400, body: { error: `refused channel name ${JSON.stringify(name.slice(0, 80))}: ${problem}` } };
      }
      try {
        return await handle(name, body);
      } catch (err) {
        if (err instanceof CommandError) return { status: err.status, body: { error: err.message, ...err.body } };
        log('error', 'transcoder command failed', { method, prefix, channel: name, error: (err as Error).message });
        return { status: 500, body: { error: `${method} ${prefix}/${name} failed: ${(err as Error).message}` } };
      }
    },
  });

  const channelPrefix = transcoderPaths.channels;
  const configPrefix = transcoderPaths.config('').slice(0, -1);
  const startPrefix = transcoderPaths.start('').slice(0, -1);
  const stopPrefix = transcoderPaths.stop('').slice(0, -1);

  return [
    {
      method: 'GET',
      path: channelPrefix,
      handle: async () => ({ status: 200, body: { channels: table.list() } satisfies ChannelListResponse }),
    },
    named('GET', channelPrefix, async (name) => {
      const channel = table.status(name);
      if (!channel) return { status: 404, body: { error: `no channel ${name} on this host` } };
      return { status: 200, body: { channel } satisfies ChannelCommandResponse };
    }),
    named('DELETE', channelPrefix, async (name) => {
      const { hash } = await table.remove(name);
      return { status: 200, body: { name, removed: true, hash } satisfies RemoveChannelResponse };
    }),
    named('GET', configPrefix, async (name) => {
      const { hash, bytes } = await table.readConfig(name);
      return { status: 200, body: { name, hash, bytes: bytes.length, contentBase64: bytes.toString('base64') } satisfies ChannelConfigResponse };
    }),
    named('PUT', configPrefix, async (name, body) => {
      const declaredBytes = base64Bytes((body as { contentBase64?: unknown } | undefined)?.contentBase64);
      if (declaredBytes > maxConfigBytes) {
        return { status: 413, body: { error: `a channel config of ${declaredBytes} bytes is over this agent's ${maxConfigBytes}-byte limit` } };
      }
      const request = PutChannelConfigRequest.safeParse(body);
      if (!request.success) return { status: 400, body: { error: `bad request: ${describeZodError(request.error)}` } };
      const { contentBase64, ifHash } = request.data;
      if (contentBase64.length % 4 !== 0 || !BASE64.test(contentBase64)) return { status: 400, body: { error: 'contentBase64 is not base64' } };
      const bytes = Buffer.from(contentBase64, 'base64');
      const parsed = parseChannelConfigBytes(bytes, name);
      if (!parsed.ok) return { status: 400, body: { error: `channel ${name}: ${parsed.reason}`, issues: parsed.issues } satisfies ConfigRefusedBody };
      const result = await table.put(name, bytes, ifHash);
      return { status: result.created ? 201 : 200, body: { name, bytes: bytes.length, ...result } satisfies PutChannelConfigResponse };
    }),
    named('POST', startPrefix, async (name) => ({ status: 200, body: { channel: await table.start(name) } satisfies ChannelCommandResponse })),
    named('POST', stopPrefix, async (name) => ({ status: 200, body: { channel: await table.stop(name) } satisfies ChannelCommandResponse })),
  ];
}

/** The number of bytes a base64 string decodes to (0 for anything that is not a string). */
function base64Bytes(value: unknown): number {
  if (typeof value !== 'string') return 0;
  const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
  return Math.floor((value.length * 3) / 4) - padding;
}
