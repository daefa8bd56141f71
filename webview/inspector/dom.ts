/** Tiny DOM helpers. Text is always set with textContent: dataset strings are never HTML. */

/** Creates an element with attributes and children (strings become text nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Record<string, string | undefined>,
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K];
export function h(
  tag: string,
  attrs?: Record<string, string | undefined>,
  ...children: (Node | string | null | undefined)[]
): HTMLElement;
export function h(
  tag: string,
  attrs: Record<string, string | undefined> = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children)
    if (c !== null && c !== undefined) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

/** Replaces an element's children. */
export function fill(el: Element, ...children: (Node | string | null | undefined)[]): void {
  el.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined));
}

/** Seconds as `12.3 s`. */
export function secs(t: number | null | undefined): string {
  return typeof t === 'number' && Number.isFinite(t) ? `${t.toFixed(1)} s` : '–';
}

/** A number with two decimals, or a dash. */
export function num(v: number | null | undefined, digits = 2): string {
  return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '–';
}
