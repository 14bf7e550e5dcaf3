/**
 * reclens.json files get a language of their own ("reclens-json", package.json contributes.languages) only so that
 * opening one activates RecLens (onLanguage:reclens-json) and opening any other JSON file does not. Once RecLens is
 * active it hands them back to VS Code's JSONC mode: the JSON language server (schema completion, hovers,
 * validation) allows comments only in documents whose language is "jsonc" (its jsonLanguageParticipants "comments"
 * flag is not honoured by VS Code 1.139's client), and reclens.json is JSON with comments.
 */
import * as vscode from 'vscode';

export const CONFIG_LANGUAGE = 'reclens-json';

export function openConfigsAsJsonc(): vscode.Disposable {
  const toJsonc = (doc: vscode.TextDocument) => {
    if (doc.languageId === CONFIG_LANGUAGE)
      void vscode.languages.setTextDocumentLanguage(doc, 'jsonc').then(undefined, () => undefined);
  };
  vscode.workspace.textDocuments.forEach(toJsonc);
  return vscode.workspace.onDidOpenTextDocument(toJsonc);
}
