// The standard @vscode/test-electron runner, for machines that have VS Code or can download it:
//   npm run test:vscode            (= npm run build && node test/e2e/runTestElectron.js)
// Runs the extension suite (out/test/vscode/index.js) twice, in a trusted and an untrusted copy of examples/movielens.
// Use a local VS Code instead of downloading one with VSCODE_EXECUTABLE_PATH=/path/to/code.
// On machines without internet access VS Code cannot be downloaded: use `npm run test:e2e` (code-server) there.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const repo = path.resolve(__dirname, '..', '..');
const extensionDevelopmentPath = repo;
const extensionTestsPath = path.join(repo, 'out', 'test', 'vscode', 'index.js');
const workspaceSource = path.join(repo, 'examples', 'movielens');

function settings(mode) {
  const common = {
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
  };
  return mode === 'trusted'
    ? { ...common, 'security.workspace.trust.enabled': false }
    : { ...common, 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' };
}

async function main() {
  let testElectron;
  try {
    testElectron = require('@vscode/test-electron');
  } catch (e) {
    console.error(`[test:vscode] @vscode/test-electron is not installed (${e.message}); run npm ci first`);
    return 1;
  }
  if (!fs.existsSync(extensionTestsPath)) {
    console.error(`[test:vscode] ${extensionTestsPath} does not exist: run "npm run build" first`);
    return 1;
  }

  let vscodeExecutablePath = process.env.VSCODE_EXECUTABLE_PATH;
  if (vscodeExecutablePath) {
    if (!fs.existsSync(vscodeExecutablePath)) {
      console.error(`[test:vscode] VSCODE_EXECUTABLE_PATH=${vscodeExecutablePath} does not exist`);
      return 1;
    }
    console.log(`[test:vscode] using VS Code at ${vscodeExecutablePath}`);
  } else {
    const version = process.env.VSCODE_TEST_VERSION || 'stable';
    console.log(`[test:vscode] downloading VS Code (${version}) with @vscode/test-electron ...`);
    try {
      vscodeExecutablePath = await testElectron.downloadAndUnzipVSCode({ version, timeout: 30_000 });
    } catch (e) {
      console.error('[test:vscode] VS Code could not be downloaded: ' + (e && e.message ? e.message : e));
      console.error('[test:vscode] This machine cannot reach the VS Code update server (no internet access).');
      console.error(
        '[test:vscode] Either set VSCODE_EXECUTABLE_PATH to an installed VS Code, or run the same suite in',
      );
      console.error('[test:vscode] code-server instead: npm run test:e2e  (see docs/testing-in-vscode.md).');
      return 1;
    }
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reclens-vscode-test-'));
  const failures = [];
  try {
    for (const mode of ['trusted', 'untrusted']) {
      const root = path.join(tmp, mode);
      const workspace = path.join(root, 'workspace', path.basename(workspaceSource));
      fs.cpSync(workspaceSource, workspace, { recursive: true, filter: (src) => !/(^|[\\/])\.reclens$/.test(src) });
      const userData = path.join(root, 'user-data');
      fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
      fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings(mode), null, 2));
      const launchArgs = [workspace, '--disable-extensions', `--user-data-dir=${userData}`];
      if (mode === 'trusted') launchArgs.push('--disable-workspace-trust');
      console.log(`[test:vscode] === ${mode} workspace: ${workspace}`);
      try {
        const code = await testElectron.runTests({
          vscodeExecutablePath,
          extensionDevelopmentPath,
          extensionTestsPath,
          launchArgs,
        });
        if (code !== 0) failures.push(`${mode}: exit ${code}`);
      } catch (e) {
        failures.push(`${mode}: ${e && e.message ? e.message : e}`);
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (failures.length) {
    console.error(`[test:vscode] FAILED: ${failures.join('; ')}`);
    return 1;
  }
  console.log('[test:vscode] 2 suite passes ok (trusted, untrusted)');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error('[test:vscode] FAILED:', e);
    process.exit(1);
  },
);
