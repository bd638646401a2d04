import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as z from 'zod';
import { Transport } from '../../src/core/http/transport';
import { Emulator } from '../emulator/server';
import { clientFor } from './helpers';

/** A real CONNECT proxy on loopback that counts the tunnels it opens. */
function startProxy(): Promise<{ server: Server; url: string; tunnels: string[] }> {
  const tunnels: string[] = [];
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, socket, head) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tunnels }),
    ),
  );
}

describe('proxies', () => {
  let emulator: Emulator;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  before(async () => {
    emulator = await Emulator.start();
    proxy = await startProxy();
  });
  after(async () => {
    await emulator.close();
    proxy.server.closeAllConnections();
    proxy.server.close();
  });

  const Any = z.record(z.string(), z.unknown());

  it('goes through the http.proxy setting', async () => {
    const transport = new Transport({ connectTimeoutMs: 2_000, proxy: { proxy: proxy.url }, env: {} });
    const { client } = clientFor(emulator, 'elevenlabs', { transport });
    await client.request({ method: 'GET', path: '/v1/user', schema: Any });
    assert.deepEqual(proxy.tunnels, [`127.0.0.1:${emulator.port}`]);
    await transport.close();
  });

  it('goes through HTTP_PROXY from the environment', async () => {
    proxy.tunnels.length = 0;
    const transport = new Transport({ connectTimeoutMs: 2_000, env: { HTTP_PROXY: proxy.url } });
    const { client } = clientFor(emulator, 'elevenlabs', { transport });
    await client.request({ method: 'GET', path: '/v1/user', schema: Any });
    assert.equal(proxy.tunnels.length, 1);
    await transport.close();
  });

  it('bypasses the proxy for NO_PROXY hosts', async () => {
    proxy.tunnels.length = 0;
    const transport = new Transport({ connectTimeoutMs: 2_000, env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' } });
    const { client } = clientFor(emulator, 'elevenlabs', { transport });
    await client.request({ method: 'GET', path: '/v1/user', schema: Any });
    assert.equal(proxy.tunnels.length, 0);
    await transport.close();
  });
});
