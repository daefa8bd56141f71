/** The inspector's keys (CONTRACT.md): space, J/K/L, [ ], G, ←/→ on the timeline. Keys with a modifier and keys typed into inputs are left alone. */
import type { Player } from './player';

/** Handles one keydown for the player; unhandled keys keep their default. */
export function onPlayerKey(e: KeyboardEvent, p: Player): void {
  const t = e.target as HTMLElement | null;
  if (e.ctrlKey || e.metaKey || e.altKey || (t && /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
  const v = p.video;
  const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  switch (k) {
    case ' ':
      if (t && /^(BUTTON|VSCODE-BUTTON|LI|A)$/.test(t.tagName)) return;
      if (v.paused) void v.play().catch(() => undefined);
      else v.pause();
      break;
    case 'j':
      p.seek(v.currentTime - 5);
      break;
    case 'k':
      v.pause();
      v.playbackRate = 1;
      break;
    case 'l':
      if (!v.paused) v.playbackRate = Math.min(4, v.playbackRate * 2);
      else void v.play().catch(() => undefined);
      break;
    case '[':
      p.edge(-1);
      break;
    case ']':
      p.edge(1);
      break;
    case 'g':
      // Here rather than as a workbench keybinding, which would take every g typed anywhere
      // while the inspector is the active editor (tree type-ahead, the Problems filter…).
      if (p.gtSpan) p.seek(p.gtSpan[0]);
      break;
    case 'ArrowLeft':
      if (t !== p.timeline) return;
      p.seek(v.currentTime - 1);
      break;
    case 'ArrowRight':
      if (t !== p.timeline) return;
      p.seek(v.currentTime + 1);
      break;
    default:
      return;
  }
  e.preventDefault();
}
