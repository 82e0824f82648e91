import type { SupEvent } from '../protocol/messages.js';

export type EventListener = (event: SupEvent) => void;

/**
 * The daemon's event bus: who listens (control connections, `sup run`'s output, the state file) and what they hear.
 * Log events cost a string copy per chunk, so apps ask `wantsLogs()` before building one.
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>();
  private readonly changeListeners = new Set<() => void>();
  private logListeners = 0;

  subscribe(listener: EventListener, withLogs: boolean): () => void {
    this.listeners.add(listener);
    if (withLogs) this.logListeners++;
    return () => {
      if (this.listeners.delete(listener) && withLogs) this.logListeners--;
    };
  }

  /** Told after anything a state file records changed: apps added or removed, an instance's status or counters. */
  onChange(listener: () => void): void {
    this.changeListeners.add(listener);
  }

  emit(event: SupEvent): void {
    for (const listener of this.listeners) listener(event);
    if (event.type === 'process' || event.type === 'removed') this.changed();
  }

  /** A change that no client event carries (apps registered before their first status change). */
  changed(): void {
    for (const listener of this.changeListeners) listener();
  }

  wantsLogs(): boolean {
    return this.logListeners > 0;
  }
}
