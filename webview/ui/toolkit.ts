/**
 * The one place that touches @vscode/webview-ui-toolkit (archived upstream). Panels create controls only through
 * these helpers, so the toolkit can later be replaced by another component set (or plain elements) here alone.
 *
 * CSP: the toolkit's styles are constructable stylesheets, which a nonce-only style-src allows. One probe in FAST
 * (focus-visible support) inserts a <style> element when the toolkit module loads, and a nonce-only style-src blocks
 * it unless the page has <meta property="csp-nonce" content="NONCE">; the entry script must publish that meta
 * (see webview/shared/cspNonce.ts) before this module is imported.
 *
 * Accessibility: the toolkit renders the real control (<input>, <button>, role="tablist") inside each element's
 * shadow root and names it its own way: a text field takes its aria-label from its text content (or "Text field"),
 * a button's attribute changes never reach the inner <button>, the tab list is unnamed. The helpers below put the
 * names and states on the inner control, so callers only pass words.
 */
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDropdown,
  vsCodeOption,
  vsCodePanels,
  vsCodePanelTab,
  vsCodePanelView,
  vsCodeProgressRing,
  vsCodeRadio,
  vsCodeRadioGroup,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

let registered = false;

/** Registers the custom elements the panels use; safe to call more than once. Call it at script start. */
export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
    vsCodeDropdown(),
    vsCodeOption(),
    vsCodeProgressRing(),
    vsCodeTextField(),
    vsCodeCheckbox(),
    vsCodeRadioGroup(),
    vsCodeRadio(),
    vsCodePanels(),
    vsCodePanelTab(),
    vsCodePanelView(),
  );
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
export function createToggleButton(
  options: Omit<ButtonOptions, 'onClick' | 'appearance'> & { onToggle: (pressed: boolean) => void },
): ToggleButton {
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
      // The toolkit's button ignores attribute changes after it connects; its ariaPressed property is bound to the
      // inner <button> (and reflected to the attribute), so the state reaches assistive technology.
      (element as HTMLElement & { ariaPressed: string | null }).ariaPressed = String(next);
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

/**
 * A one-line text input; `onInput` on every edit, `onEnter` when Enter is pressed in it. `ariaLabel` is its name:
 * the toolkit names the inner <input> after the element's text content when it connects (else "Text field"), so the
 * name is that text, in the field's own <label>; the page's stylesheet hides it visually (`label-hidden`).
 */
export function createTextField(options: {
  placeholder: string;
  ariaLabel: string;
  onInput: (value: string) => void;
  onEnter?: (value: string) => void;
}): TextField {
  const element = document.createElement('vscode-text-field') as ValueElement;
  element.setAttribute('placeholder', options.placeholder);
  element.textContent = options.ariaLabel;
  element.classList.add('label-hidden');
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

/** Enables or disables a control made by these helpers (the toolkit's elements read the `disabled` attribute). */
export function setDisabled(control: HTMLElement, disabled: boolean): void {
  control.toggleAttribute('disabled', disabled);
  control.setAttribute('aria-disabled', String(disabled));
}

export interface Checkbox {
  element: HTMLElement;
  checked: boolean;
}

interface CheckedElement extends HTMLElement {
  checked: boolean;
}

/**
 * A checkbox named by `label`. With `hideLabel` the label is for assistive technology only (e.g. "Select leak" in a
 * table row): the toolkit overwrites aria-label with the text content when the element connects, so the name must
 * be the text; the page's stylesheet hides the label part of `vscode-checkbox.label-hidden`.
 */
export function createCheckbox(options: {
  label: string;
  hideLabel?: boolean;
  checked?: boolean;
  onChange: (checked: boolean) => void;
}): Checkbox {
  const element = document.createElement('vscode-checkbox') as CheckedElement;
  element.textContent = options.label;
  if (options.hideLabel) element.classList.add('label-hidden');
  if (options.checked) element.setAttribute('checked', '');
  element.checked = !!options.checked;
  element.addEventListener('change', () => options.onChange(element.checked));
  return {
    element,
    get checked() {
      return element.checked;
    },
    set checked(next: boolean) {
      element.checked = next;
    },
  };
}

export interface RadioGroup {
  element: HTMLElement;
  readonly value: string;
}

/** A small set of mutually exclusive choices shown side by side (arrow keys move between them). */
export function createRadioGroup(options: {
  label: string;
  choices: readonly ChoiceOption[];
  value: string;
  onChange: (value: string) => void;
}): RadioGroup {
  const element = document.createElement('vscode-radio-group') as ValueElement;
  element.setAttribute('orientation', 'horizontal');
  const label = document.createElement('label');
  label.slot = 'label';
  label.textContent = options.label;
  element.appendChild(label);
  for (const choice of options.choices) {
    const radio = document.createElement('vscode-radio') as ValueElement;
    radio.setAttribute('value', choice.value);
    radio.textContent = choice.label;
    if (choice.value === options.value) radio.setAttribute('checked', '');
    element.appendChild(radio);
  }
  element.setAttribute('value', options.value);
  let last = options.value;
  element.addEventListener('change', (event) => {
    // Each radio's own change event bubbles here too: answer only the group's, once per new value.
    if (event.target !== element || !element.value || element.value === last) return;
    last = element.value;
    options.onChange(last);
  });
  return {
    element,
    get value() {
      return element.value;
    },
  };
}

export interface Tabs {
  element: HTMLElement;
  readonly active: string;
  /** The content element of a tab, to fill. */
  view(id: string): HTMLElement;
}

/** Tabs with their views (arrow keys move between tabs); `onChange` gets the id of the tab shown. */
export function createTabs(options: {
  ariaLabel: string;
  tabs: readonly ChoiceOption[];
  active: string;
  onChange: (id: string) => void;
}): Tabs {
  const element = document.createElement('vscode-panels');
  element.setAttribute('aria-label', options.ariaLabel);
  // The role="tablist" element is in the shadow root, rendered when the element connects: name it then.
  whenRendered(element, '[role="tablist"]', (tablist) => tablist.setAttribute('aria-label', options.ariaLabel));
  const views = new Map<string, HTMLElement>();
  const tabs = options.tabs.map((tab) => {
    const header = document.createElement('vscode-panel-tab');
    header.id = `tab-${tab.value}`;
    header.textContent = tab.label;
    return header;
  });
  const panes = options.tabs.map((tab) => {
    const pane = document.createElement('vscode-panel-view');
    pane.id = `view-${tab.value}`;
    views.set(tab.value, pane);
    return pane;
  });
  element.append(...tabs, ...panes);
  const active = options.tabs.some((t) => t.value === options.active) ? options.active : (options.tabs[0]?.value ?? '');
  element.setAttribute('activeid', `tab-${active}`);
  let current = active;
  element.addEventListener('change', (event) => {
    const tab = (event as CustomEvent<HTMLElement | undefined>).detail;
    const id = tab?.id?.replace(/^tab-/, '');
    if (event.target !== element || !id || id === current) return;
    current = id;
    options.onChange(id);
  });
  return {
    element,
    get active() {
      return current;
    },
    view(id: string) {
      const pane = views.get(id);
      if (!pane) throw new Error(`No tab "${id}"`);
      return pane;
    },
  };
}

/** Runs `then` on the first element matching `selector` in `host`'s shadow root, once the toolkit has rendered it. */
function whenRendered(host: HTMLElement, selector: string, then: (inner: Element) => void): void {
  const root = host.shadowRoot;
  if (!root) return;
  const found = root.querySelector(selector);
  if (found) {
    then(found);
    return;
  }
  const observer = new MutationObserver(() => {
    const inner = root.querySelector(selector);
    if (!inner) return;
    observer.disconnect();
    then(inner);
  });
  observer.observe(root, { childList: true, subtree: true });
}
