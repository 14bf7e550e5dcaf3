/**
 * Canvas colours cannot use CSS variables directly, so they are read from VS Code's computed theme variables
 * here and re-read whenever VS Code switches theme (it changes the body's vscode-* class and the variables).
 */
import { rgb } from 'd3';

export interface Theme {
  background: string;
  foreground: string;
  /** Colour of points when nothing colours them. */
  point: string;
  /** Points with a missing value, and the "other" category. */
  muted: string;
  focus: string;
  /** True for dark and high-contrast dark themes: picks the sequential colour range that stays visible. */
  dark: boolean;
  highContrast: boolean;
}

export function readTheme(): Theme {
  const styles = getComputedStyle(document.body);
  const variable = (name: string, fallback: string) => styles.getPropertyValue(name).trim() || fallback;
  const background = variable('--vscode-editor-background', '#ffffff');
  const foreground = variable('--vscode-editor-foreground', variable('--vscode-foreground', '#333333'));
  const classes = document.body.classList;
  return {
    background,
    foreground,
    point: variable('--vscode-charts-blue', variable('--vscode-textLink-foreground', '#3794ff')),
    muted: variable('--vscode-disabledForeground', variable('--vscode-descriptionForeground', '#888888')),
    focus: variable('--vscode-focusBorder', '#0090f1'),
    dark:
      classes.contains('vscode-dark') ||
      (classes.contains('vscode-high-contrast') && !classes.contains('vscode-high-contrast-light')) ||
      luminance(background) < 0.4,
    highContrast: classes.contains('vscode-high-contrast') || classes.contains('vscode-high-contrast-light'),
  };
}

/** Calls `onChange` after VS Code changes theme (body class or the variables on <html>), once per frame at most. */
export function watchTheme(onChange: (theme: Theme) => void): void {
  let pending = false;
  const observer = new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      onChange(readTheme());
    });
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}

function luminance(colour: string): number {
  const c = rgb(colour);
  if (!Number.isFinite(c.r)) return 1;
  return (0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b) / 255;
}
