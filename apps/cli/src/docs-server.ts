import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { ShopsmartError } from '@shopsmart/core-runner';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The file under `root` a request path names, or undefined when it leaves root or does not exist. */
export function resolveStaticPath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
  const relative = normalize(decoded).replace(/^([/\\])+/, '');
  const file = resolve(root, relative === '' ? 'index.html' : relative);
  if (file !== resolve(root) && !file.startsWith(resolve(root) + sep)) return undefined;
  const path = existsSync(file) && statSync(file).isDirectory() ? join(file, 'index.html') : file;
  return existsSync(path) && statSync(path).isFile() ? path : undefined;
}

/**
 * Serves the files of `root` (GET/HEAD only) on host:port. A busy port is a user error naming it.
 *
 * @example
 * const server = await serveStatic('target/docs', { host: '127.0.0.1', port: 8080 });
 * // http://127.0.0.1:8080/ → target/docs/index.html
 */
export function serveStatic(root: string, options: { host: string; port: number }): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const file = resolveStaticPath(root, request.url ?? '/');
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    response.writeHead(200, {
      'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') {
        reject(
          new ShopsmartError(
            'SSA-DOCS-PORT',
            error.code === 'EADDRINUSE'
              ? `port ${options.port} on ${options.host} is already in use`
              : `port ${options.port} on ${options.host} cannot be opened (permission denied)`,
            { hint: 'stop what is using it, or pick another port with --port <n>' },
          ),
        );
      } else reject(error);
    });
    server.listen(options.port, options.host, () => resolvePromise(server));
  });
}
