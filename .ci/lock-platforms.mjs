// Adds package-lock entries for @duckdb/node-bindings' other-platform packages. The registry reachable on the
// project's machines does not serve them (404), so `npm install` there writes a lock without them, and `npm ci`
// then rejects the lock as out of sync. The entries carry version, os, cpu and libc only: npm skips them on
// linux-x64 and fetches them by version on their own platforms. Run after any `npm install` that rewrites the lock.
import * as fs from 'fs';

const lockFile = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
const parent = lock.packages['node_modules/@duckdb/node-bindings'];
const platforms = {
  'darwin-arm64': { os: ['darwin'], cpu: ['arm64'] },
  'darwin-x64': { os: ['darwin'], cpu: ['x64'] },
  'linux-arm64': { os: ['linux'], cpu: ['arm64'], libc: ['glibc'] },
  'linux-arm64-musl': { os: ['linux'], cpu: ['arm64'], libc: ['musl'] },
  'win32-arm64': { os: ['win32'], cpu: ['arm64'] },
  'win32-x64': { os: ['win32'], cpu: ['x64'] },
};
let added = 0;
for (const [suffix, target] of Object.entries(platforms)) {
  const key = `node_modules/@duckdb/node-bindings-${suffix}`;
  if (lock.packages[key]) continue;
  lock.packages[key] = { version: parent.version, ...target, license: 'MIT', optional: true };
  added++;
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
fs.writeFileSync(lockFile, JSON.stringify(lock, null, 2) + '\n');
console.log(`package-lock: ${added} platform entries added`);
