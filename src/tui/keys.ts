import type { Mode } from './view-model.js';

/** What a key asks for, decided without a terminal. */
export type KeyAction =
  | { type: 'move'; delta: number }
  | { type: 'restart' }
  | { type: 'reload' }
  | { type: 'toggle-run' }
  | { type: 'ask-delete' }
  | { type: 'confirm-delete' }
  | { type: 'cancel' }
  | { type: 'toggle-logs' }
  | { type: 'start-filter' }
  | { type: 'filter-input'; text: string }
  | { type: 'filter-erase' }
  | { type: 'filter-done' }
  | { type: 'filter-clear' }
  | { type: 'help' }
  | { type: 'quit' }
  | { type: 'none' };

/** The key as blessed reports it: its name (up, enter, backspace…), the character typed, and Ctrl. */
export interface KeyPress {
  name: string | undefined;
  ch: string | undefined;
  ctrl: boolean;
}

export function decideKey(mode: Mode, key: KeyPress): KeyAction {
  if (key.ctrl && key.name === 'c') return { type: 'quit' };
  switch (mode) {
    case 'help':
      return { type: 'cancel' };
    case 'confirm-delete':
      return key.ch === 'y' || key.ch === 'Y' ? { type: 'confirm-delete' } : { type: 'cancel' };
    case 'filter':
      if (key.name === 'enter' || key.name === 'return') return { type: 'filter-done' };
      if (key.name === 'escape') return { type: 'filter-clear' };
      if (key.name === 'backspace') return { type: 'filter-erase' };
      if (key.ch && !key.ctrl && key.ch >= ' ' && key.ch !== '\u007f') return { type: 'filter-input', text: key.ch };
      return { type: 'none' };
    case 'normal':
      return normalKey(key);
  }
}

function normalKey(key: KeyPress): KeyAction {
  if (key.name === 'up' || key.ch === 'k') return { type: 'move', delta: -1 };
  if (key.name === 'down' || key.ch === 'j') return { type: 'move', delta: 1 };
  if (key.name === 'pageup') return { type: 'move', delta: -10 };
  if (key.name === 'pagedown') return { type: 'move', delta: 10 };
  if (key.name === 'home' || key.ch === 'g') return { type: 'move', delta: -Infinity };
  if (key.name === 'end' || key.ch === 'G') return { type: 'move', delta: Infinity };
  switch (key.ch) {
    case 'r':
      return { type: 'restart' };
    case 'R':
      return { type: 'reload' };
    case 's':
      return { type: 'toggle-run' };
    case 'd':
      return { type: 'ask-delete' };
    case 'l':
      return { type: 'toggle-logs' };
    case '/':
      return { type: 'start-filter' };
    case '?':
      return { type: 'help' };
    case 'q':
      return { type: 'quit' };
  }
  if (key.name === 'escape') return { type: 'filter-clear' };
  return { type: 'none' };
}
