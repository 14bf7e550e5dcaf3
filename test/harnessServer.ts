/**
 * A loopback HTTP server for the webview tests: serves a panel's harness page (with a fresh CSP nonce per load)
 * and the files it references, on an ephemeral port of 127.0.0.1.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HarnessServer {
  origin: string;
  close(): Promise<void>;
}

/** `files` maps URL paths to [file, content type]; `/panel.html` is `html(origin, nonce)`. */
export function serveHarness(
  files: Record<string, [string, string]>,
  html: (origin: string, nonce: string) => string,
): Promise<HarnessServer> {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (url.pathname === '/panel.html') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(html(origin, randomBytes(16).toString('base64')));
      return;
    }
    if (url.pathname === '/favicon.ico') {
      response.writeHead(204).end(); // browsers ask for it; a 404 would show up as a console error
      return;
    }
    const file = files[url.pathname];
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': file[1], 'cache-control': 'no-store' });
    response.end(fs.readFileSync(file[0]));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    ),
  );
}
