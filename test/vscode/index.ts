/** Extension test entry (the @vscode/test-electron convention): runs mocha over the suite in this folder. */
import * as path from 'path';
import * as fs from 'fs';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export function run(): Promise<void> {
  const mode = vscode.workspace.isTrusted ? 'trusted' : 'untrusted';
  console.log(`RECLENS_SUITE_MODE ${mode}`);
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000, reporter: 'spec' });
  for (const f of fs.readdirSync(__dirname)) if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      console.log(`RECLENS_SUITE_RESULT ${mode} failures=${failures}`);
      if (failures > 0) reject(new Error(`${failures} extension test(s) failed`));
      else resolve();
    });
  });
}
