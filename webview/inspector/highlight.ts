/** Splits a model output into tag and content runs so think/answer/correction can be coloured. */
import { h } from './dom';

const TAG = /<\s*(\/?)\s*(think|answer|correction|timestep)\b[^>]*>/gi;

/** Renders text with its known tags dimmed and each block's content in its own class. */
export function highlighted(text: string): HTMLElement {
  const out = h('pre', { class: 'output' });
  const stack: string[] = [];
  let last = 0;
  const push = (s: string) => {
    if (!s) return;
    out.append(h('span', { class: `run ${stack.length ? `in-${stack[stack.length - 1]}` : 'in-none'}` }, s));
  };
  TAG.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TAG.exec(text))) {
    push(text.slice(last, m.index));
    const name = m[2].toLowerCase();
    if (m[1]) {
      const i = stack.lastIndexOf(name);
      out.append(h('span', { class: `tag tag-${name}` }, m[0]));
      if (i >= 0) stack.length = i;
    } else {
      out.append(h('span', { class: `tag tag-${name}` }, m[0]));
      stack.push(name);
    }
    last = TAG.lastIndex;
  }
  push(text.slice(last));
  return out;
}
