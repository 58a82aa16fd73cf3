import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';

export interface StaticServer {
  /** Base URL ending with "/", as ORDO_BDPM_BASE_URL expects. */
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serves the files of `dir` on 127.0.0.1 with Content-Length and Last-Modified, like a download
 * server. `missing` names files answered 404; `failWith` answers every request with that status,
 * `failFirst` the first N with 503; `throttleBytesPerSecond` slows bodies so progress can be watched.
 */
export async function serveDirectory(
  dir: string,
  options: { missing?: string[]; failWith?: number; failFirst?: number; throttleBytesPerSecond?: number } = {},
): Promise<StaticServer> {
  let failuresLeft = options.failFirst ?? 0;
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const name = basename(decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname));
    requests.push(name);
    if (options.failWith !== undefined || failuresLeft > 0) {
      failuresLeft -= 1;
      res.writeHead(options.failWith ?? 503).end();
      return;
    }
    let size: number;
    let modified: Date;
    try {
      if (options.missing?.includes(name) === true) throw new Error('missing');
      const stats = statSync(join(dir, name));
      size = stats.size;
      modified = stats.mtime;
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': size, 'last-modified': modified.toUTCString() });
    const stream = createReadStream(join(dir, name), { highWaterMark: 16 * 1024 });
    if (options.throttleBytesPerSecond === undefined) {
      stream.pipe(res);
      return;
    }
    const delay = (16 * 1024 * 1000) / options.throttleBytesPerSecond;
    stream.on('data', (chunk) => {
      stream.pause();
      res.write(chunk);
      setTimeout(() => stream.resume(), delay);
    });
    stream.on('end', () => res.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
