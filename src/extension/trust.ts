/**
 * Workspace trust, in one place. A cloned repository's reclens.json, data and model are untrusted input, so in an
 * untrusted (restricted mode) workspace RecLens executes nothing: no DuckDB query, no onnxruntime session, no kNN.
 * What stays: the JSON schema, names and references between keys (parseConfig), run records, and the ONNX
 * signature read by RecLens's own protobuf reader. Every command, tree node, hover, diagnostic and panel message
 * that would execute asks `requireTrust` first.
 */
import * as vscode from 'vscode';

export const UNTRUSTED_MESSAGE = 'RecLens reads data and runs models only in trusted workspaces.';
export const MANAGE_TRUST = 'Manage Workspace Trust';
export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';

export interface Refused {
  status: 'refused';
  reason: string;
}

export function isTrusted(): boolean {
  return vscode.workspace.isTrusted;
}

let lastShown = 0;

/**
 * True in a trusted workspace. Otherwise says so (one notification with a Manage Workspace Trust action, at most
 * every few seconds so a burst of refused calls does not stack them) and returns false. `what`: what was refused.
 */
export function requireTrust(what: string, output?: vscode.OutputChannel): boolean {
  if (vscode.workspace.isTrusted) return true;
  output?.appendLine(`[untrusted] refused: ${what}. ${UNTRUSTED_MESSAGE}`);
  const now = Date.now();
  if (now - lastShown > 3000) {
    lastShown = now;
    void vscode.window
      .showWarningMessage(`${UNTRUSTED_MESSAGE} ${what} needs a trusted workspace.`, MANAGE_TRUST)
      .then((pick) => {
        if (pick) void vscode.commands.executeCommand(MANAGE_TRUST_COMMAND);
      });
  }
  return false;
}

/** The value gated commands return when refused (tests and callers check `status`). */
export function refused(what: string): Refused {
  return {
    status: 'refused',
    reason: `${what}: ${UNTRUSTED_MESSAGE} This is an untrusted workspace; trust it to run RecLens.`,
  };
}
