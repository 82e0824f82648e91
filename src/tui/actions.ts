import type { SupClient } from '../client/client.js';
import type { ProcessInfo } from '../protocol/messages.js';
import type { KeyAction } from './keys.js';
import type { MonitModel, Region } from './view-model.js';

type ProcessRequest = 'restart' | 'reload' | 'stop' | 'startExisting' | 'delete';

const WORDS: Record<ProcessRequest, { doing: string; done: string }> = {
  restart: { doing: 'restarting', done: 'restarted' },
  reload: { doing: 'reloading', done: 'reloaded' },
  stop: { doing: 'stopping', done: 'stopped' },
  startExisting: { doing: 'starting', done: 'started' },
  delete: { doing: 'deleting', done: 'deleted' },
};

/**
 * Carries out a key's action: on the model, or as a request about one process whose outcome shows in
 * the title line. Returns the regions that changed now; `changed` is told about the later outcome.
 */
export function perform(
  action: KeyAction,
  model: MonitModel,
  client: SupClient | undefined,
  changed: (regions: Region[]) => void,
  quit: () => void,
): Region[] {
  const p = model.selected();
  const send = (target: ProcessInfo | null, type: ProcessRequest) => (target ? request(model, client, changed, target, type) : []);
  switch (action.type) {
    case 'move':
      return model.move(action.delta);
    case 'toggle-logs':
      return model.toggleLogScope();
    case 'start-filter':
      return model.setMode('filter');
    case 'filter-input':
      return model.setFilter(model.filter + action.text);
    case 'filter-erase':
      return model.setFilter(model.filter.slice(0, -1));
    case 'filter-done':
      return model.setMode('normal');
    case 'filter-clear':
      model.setMode('normal');
      return model.setFilter('');
    case 'help':
      return model.setMode('help');
    case 'cancel':
      return model.setMode('normal');
    case 'ask-delete':
      return model.askDelete();
    case 'confirm-delete': {
      const target = model.deleteTarget;
      model.setMode('normal');
      return [...send(target, 'delete'), 'status'];
    }
    case 'restart':
      return send(p, 'restart');
    case 'reload':
      return send(p, 'reload');
    case 'toggle-run': {
      const running = p !== null && (p.status === 'online' || p.status === 'launching' || p.status === 'waiting-restart');
      return send(p, running ? 'stop' : 'startExisting');
    }
    case 'quit':
      quit();
      return [];
    case 'none':
      return [];
  }
}

function request(
  model: MonitModel,
  client: SupClient | undefined,
  changed: (regions: Region[]) => void,
  p: ProcessInfo,
  type: ProcessRequest,
): Region[] {
  const label = `${p.name}#${p.id}`;
  const words = WORDS[type];
  if (!client) {
    model.notice = { text: `not connected: ${label} was not ${words.done}`, level: 'error' };
    return ['status'];
  }
  model.notice = { text: `${words.doing} ${label}…`, level: 'info' };
  const targets = [String(p.id)];
  const sent = type === 'reload' ? client.request('reload', { targets, parallel: 1 }) : client.request(type, { targets });
  const report = (text: string, level: 'info' | 'error') => {
    model.notice = { text, level };
    changed(['status']);
  };
  sent.then(
    () => report(`${words.done} ${label}`, 'info'),
    (err: Error) => report(`${label}: ${err.message}`, 'error'),
  );
  return ['status'];
}
