// Small DOM helpers shared by the page scripts.

export function $<T extends Element = HTMLElement>(selector: string, root: ParentNode = document): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`missing element ${selector}`);
  return found;
}

export type StatusKind = 'info' | 'ok' | 'error';

/** Writes the message into the nearest `.status` live region of `scope`. */
export function showStatus(scope: Element, message: string, kind: StatusKind = 'info'): void {
  const status =
    scope.querySelector<HTMLElement>('.status') ?? scope.parentElement?.querySelector<HTMLElement>('.status');
  if (!status) return;
  status.textContent = message;
  status.className = `status ${kind === 'info' ? '' : kind}`.trim();
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Builds an element: el('td', {className: 'num'}, '12'). Text children are never parsed as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> & Record<string, unknown> = {},
  ...children: Array<Node | string | null | undefined>
): HTMLElementTagNameMap[K] {
  const element = Object.assign(document.createElement(tag), props);
  for (const child of children) if (child !== null && child !== undefined) element.append(child);
  return element;
}

/** Replaces a table body's rows; an empty list shows one muted "empty" row. */
export function fillTable(
  body: HTMLTableSectionElement,
  rows: HTMLTableRowElement[],
  columns: number,
  empty: string,
): void {
  body.replaceChildren(
    ...(rows.length ? rows : [el('tr', {}, el('td', { className: 'empty', colSpan: columns }, empty))]),
  );
}

export function formValues(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  new FormData(form).forEach((value, key) => {
    if (typeof value === 'string') values[key] = value.trim();
  });
  return values;
}

/** Disables the form's buttons while `work` runs. */
export async function busy<T>(form: HTMLElement, work: () => Promise<T>): Promise<T> {
  const buttons = [...form.querySelectorAll('button')];
  buttons.forEach((button) => (button.disabled = true));
  try {
    return await work();
  } finally {
    buttons.forEach((button) => (button.disabled = false));
  }
}

/** Copies the text of an input to the clipboard, falling back to selecting it. */
export async function copyInput(
  input: HTMLInputElement | HTMLTextAreaElement,
  button: HTMLButtonElement,
): Promise<void> {
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    document.execCommand('copy');
  }
  const label = button.textContent;
  button.textContent = 'Copied';
  setTimeout(() => (button.textContent = label), 1500);
}
