// The page's keyboard shortcuts, and their list (#shortcuts): decode now (Ctrl+Enter, in the input
// box: main.js), Esc (cancels a file's read: main.js), and here the others: / to the filter, j k
// (or Alt+↓ ↑) for the next and previous record, Alt+L for the other language, ? for the list.
// A one-key shortcut never fires while the user types in a text box (or a list box takes keys).
import { el } from './render.js';
import { MOD } from './input.js';

/** Whether a key pressed on `target` is the user's typing (a text box, a select, editable text). */
export function typing(target) {
  if (!target?.closest) return false;
  if (target.closest('textarea, select, [contenteditable]:not([contenteditable="false"])')) return true;
  const input = target.closest('input');
  return !!input && !/^(button|checkbox|radio|range|color|file|image|reset|submit)$/.test(input.type);
}

export class Keys {
  constructor(app) {
    this.app = app;
    this.el = { box: document.getElementById('shortcuts'), list: document.getElementById('shortcut-list') };
  }

  /** The list of shortcuts, in the page's language. */
  show() {
    const S = this.app.S;
    const items = [];
    for (const [combos, what] of S.shortcutList(MOD)) {
      const dt = el('dt');
      combos.forEach((keys, i) => {
        if (i > 0) dt.append(` ${S.shortcutOr} `);
        keys.forEach((k, j) => {
          if (j > 0) dt.append('+');
          dt.append(el('kbd', { text: k }));
        });
      });
      items.push(dt, el('dd', { text: what }));
    }
    this.el.list.replaceChildren(...items);
    const note = this.el.box.querySelector('.shortcut-note') || el('p', { class: 'hint shortcut-note' });
    note.textContent = S.shortcutsNote;
    this.el.box.append(note);
  }

  listen() {
    document.addEventListener('keydown', (e) => this.key(e));
    // The header's link to the list opens it.
    document.getElementById('nav-shortcuts')?.addEventListener('click', () => {
      this.el.box.open = true;
    });
  }

  key(e) {
    if (e.defaultPrevented || e.isComposing || e.ctrlKey || e.metaKey || typing(e.target)) return;
    const { app } = this;
    const areas = app.areas;
    if (e.altKey) {
      if (e.code === 'KeyL' && !e.shiftKey) {
        e.preventDefault();
        const lang = document.getElementById('lang');
        lang.value = app.lang === 'ja' ? 'en' : 'ja';
        app.setLang(lang.value);
      } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        if (areas.list.step(e.key === 'ArrowDown' ? 1 : -1)) e.preventDefault();
      }
      return;
    }
    switch (e.key) {
      case '/': {
        const explore = document.getElementById('explore');
        if (explore.hidden) return;
        e.preventDefault();
        const box = document.getElementById('filter');
        box.scrollIntoView({ block: 'center' });
        box.focus({ preventScroll: true });
        break;
      }
      case 'j':
      case 'k':
        // In the record list itself, its own keys (↑ ↓) are the way; j k work there too.
        if (!e.shiftKey && areas.list.step(e.key === 'j' ? 1 : -1)) e.preventDefault();
        break;
      case '?': {
        e.preventDefault();
        const box = this.el.box;
        box.open = true;
        box.scrollIntoView({ block: 'center' });
        box.querySelector('summary').focus({ preventScroll: true });
        break;
      }
      default:
    }
  }
}
