/**
 * The one place that touches @vscode/webview-ui-toolkit (archived upstream). Panels create controls only through
 * these helpers, so the toolkit can later be replaced by another component set (or plain elements) here alone.
 *
 * CSP: the toolkit's styles are constructable stylesheets, which a nonce-only style-src allows. One probe in FAST
 * (focus-visible support) inserts a <style> element when the toolkit module loads, and a nonce-only style-src blocks
 * it unless the page has <meta property="csp-nonce" content="NONCE">; the entry script must publish that meta
 * (see webview/embedding/cspNonce.ts) before this module is imported.
 */
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeProgressRing,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

let registered = false;

/** Registers the custom elements the panels use; safe to call more than once. Call it at script start. */
export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDropdown(), vsCodeOption(), vsCodeProgressRing(), vsCodeTextField());
}

export interface ButtonOptions {
  label: string;
  title?: string;
  appearance?: 'primary' | 'secondary';
  onClick: () => void;
}

/** A push button. */
export function createButton(options: ButtonOptions): HTMLElement {
  const button = document.createElement('vscode-button');
  button.textContent = options.label;
  button.setAttribute('appearance', options.appearance ?? 'secondary');
  if (options.title) button.title = options.title;
  button.addEventListener('click', () => options.onClick());
  return button;
}

export interface ToggleButton {
  element: HTMLElement;
  readonly pressed: boolean;
  setPressed(pressed: boolean): void;
}

/** A button that stays pressed (aria-pressed), shown as primary while on. */
export function createToggleButton(options: Omit<ButtonOptions, 'onClick' | 'appearance'> & { onToggle: (pressed: boolean) => void }): ToggleButton {
  let pressed = false;
  const element = createButton({
    label: options.label,
    title: options.title,
    onClick: () => {
      toggle.setPressed(!pressed);
      options.onToggle(pressed);
    },
  });
  const toggle: ToggleButton = {
    element,
    get pressed() {
      return pressed;
    },
    setPressed(next: boolean) {
      pressed = next;
      element.setAttribute('aria-pressed', String(next));
      element.setAttribute('appearance', next ? 'primary' : 'secondary');
    },
  };
  toggle.setPressed(false);
  return toggle;
}

export interface ChoiceOption {
  value: string;
  label: string;
}

export interface Dropdown {
  element: HTMLElement;
  readonly value: string;
  setOptions(options: readonly ChoiceOption[], value: string): void;
}

interface ValueElement extends HTMLElement {
  value: string;
}

/** A single-choice dropdown; `onChange` gets the chosen value. */
export function createDropdown(options: { ariaLabel: string; onChange: (value: string) => void }): Dropdown {
  const element = document.createElement('vscode-dropdown') as ValueElement;
  element.setAttribute('aria-label', options.ariaLabel);
  element.addEventListener('change', () => options.onChange(element.value));
  return {
    element,
    get value() {
      return element.value;
    },
    setOptions(choices, value) {
      element.replaceChildren(
        ...choices.map((choice) => {
          const option = document.createElement('vscode-option') as ValueElement;
          option.value = choice.value;
          option.textContent = choice.label;
          // The attribute makes the choice stick even before the dropdown has upgraded its slotted options.
          if (choice.value === value) option.setAttribute('selected', '');
          return option;
        }),
      );
      element.value = value;
    },
  };
}

export interface TextField {
  element: HTMLElement;
  value: string;
}

/** A one-line text input; `onInput` on every edit, `onEnter` when Enter is pressed in it. */
export function createTextField(options: { placeholder: string; ariaLabel: string; onInput: (value: string) => void; onEnter?: (value: string) => void }): TextField {
  const element = document.createElement('vscode-text-field') as ValueElement;
  element.setAttribute('placeholder', options.placeholder);
  element.setAttribute('aria-label', options.ariaLabel);
  element.addEventListener('input', () => options.onInput(element.value));
  element.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') options.onEnter?.(element.value);
  });
  return {
    element,
    get value() {
      return element.value;
    },
    set value(next: string) {
      element.value = next;
    },
  };
}

/** An indeterminate progress indicator. */
export function createProgressRing(): HTMLElement {
  const ring = document.createElement('vscode-progress-ring');
  ring.setAttribute('aria-hidden', 'true');
  return ring;
}
