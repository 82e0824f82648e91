import type { Selector } from '../../protocol/messages.js';
import type { Instance } from '../instance/instance.js';
import type { App } from './app.js';
import { selectByTargets } from './selection.js';

/** An instance with its app, as selections return them. */
export interface Located {
  id: number;
  name: string;
  namespace: string;
  script: string;
  app: App;
  instance: Instance;
}

/** The apps sup manages, by name, and the ids their instances hold (unique in the daemon, never reused while held). */
export class Registry {
  private readonly apps = new Map<string, App>();
  private next = 0;

  get(name: string): App | undefined {
    return this.apps.get(name);
  }

  has(name: string): boolean {
    return this.apps.has(name);
  }

  list(): App[] {
    return [...this.apps.values()];
  }

  add(app: App): void {
    this.apps.set(app.config.name, app);
  }

  /** Once no app is left, ids start from 0 again, as in PM2. */
  delete(app: App): void {
    if (this.apps.get(app.config.name) === app) this.apps.delete(app.config.name);
    if (this.apps.size === 0) this.next = 0;
  }

  /** The app under a new, free name, in the same place of the order (saves and resurrects keep it). */
  rename(app: App, name: string): void {
    const order = [...this.apps.values()];
    app.rename(name);
    this.apps.clear();
    for (const each of order) this.apps.set(each.config.name, each);
  }

  /** Whether this app object is still the one registered under its name (a trigger may fire after a replacement). */
  holds(app: App): boolean {
    return this.apps.get(app.config.name) === app;
  }

  newId(): number {
    return this.next++;
  }

  /** The next id a state file records, so that a restored daemon never hands out an id twice. */
  get nextId(): number {
    return this.next;
  }

  /** Takes the ids a state file holds: new ids start above them. */
  reserveIds(nextId: number, held: readonly number[]): void {
    this.next = Math.max(this.next, nextId, Math.max(-1, ...held) + 1);
  }

  all(): Located[] {
    const out: Located[] = [];
    for (const app of this.apps.values()) {
      for (const instance of app.instances) out.push(Registry.locate(app, instance));
    }
    return out.sort((a, b) => a.id - b.id);
  }

  select(targets: readonly Selector[]): Located[] {
    return selectByTargets(this.all(), targets);
  }

  static locate(app: App, instance: Instance): Located {
    return { id: instance.id, name: app.config.name, namespace: app.config.namespace, script: app.config.script, app, instance };
  }

  /** The distinct apps of a selection, in its order. */
  static appsOf(picked: readonly Located[]): App[] {
    return [...new Set(picked.map((p) => p.app))];
  }
}
