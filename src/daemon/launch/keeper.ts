import type { SupPaths } from '../../paths.js';
import { KEEPER_PROTOCOL, type ToKeeper } from '../../protocol/keeper.js';
import { KeeperLink, type KeeperState, type Route } from './keeper-link.js';

const RETRY_MAX_MS = 2000;

/** A route that can be told its process went with a keeper that died. */
export interface LostRoute extends Route {
  lost(): void;
}

export interface KeeperEvents {
  log(message: string): void;
  /** Resolves once the log files have written what they were given (frames are acknowledged after it). */
  written(): Promise<void>;
  /**
   * The keeper died (its apps with it, or orphaned): a new one is up. Resolves once what the dead one left running is
   * gone; the routes are then told they are lost, and their instances start again under the new keeper.
   */
  replaced(deadPid: number): Promise<void>;
}

/**
 * The daemon's keeper: the connection to it, which outlives none of the daemon's own states. Requests made while the
 * keeper is being replaced wait for the new one.
 */
export class Keeper {
  private current: Promise<KeeperLink>;
  private begin!: () => void;
  private begun = false;
  private key = 0;
  private ending = false;
  /** The keeper now connected, for `sup ping` (null until the first hello). */
  known: { pid: number; protocol: number } | null = null;

  constructor(
    private readonly paths: SupPaths,
    private readonly foreground: boolean,
    private readonly events: KeeperEvents,
  ) {
    // Not before start(): a daemon that lost the race for the control socket must never talk to the keeper.
    this.current = new Promise<void>((resolve) => (this.begin = resolve)).then(() => this.connect());
  }

  /** Connects (starting a keeper when none answers); resolves with what it held at hello. */
  start(): Promise<KeeperState> {
    this.begun = true;
    this.begin();
    return this.initialState();
  }

  /** What the keeper held when this daemon first said hello (the apps to adopt). */
  async initialState(): Promise<KeeperState> {
    return (await this.current).state;
  }

  async pid(): Promise<number> {
    return (await this.current).state.pid;
  }

  newKey(): number {
    return ++this.key;
  }

  /** The link once it is up: routes and sends go through it. */
  link(): Promise<KeeperLink> {
    return this.current;
  }

  send(message: ToKeeper): void {
    void this.current.then((link) => link.send(message));
  }

  /** Recovery is done: frames for processes nobody adopted are not kept any longer. */
  async adopted(): Promise<void> {
    (await this.current).dropUnadopted();
  }

  /** Says goodbye to the keeper as `sup update` or `sup kill` leaves; nothing to say to one never started. */
  farewell(handover: boolean): Promise<void> {
    this.ending = true;
    return this.begun ? this.current.then((link) => link.farewell(handover)) : Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.ending = true;
    return this.begun ? this.current.then((link) => link.shutdown()) : Promise.resolve();
  }

  private async connect(): Promise<KeeperLink> {
    const written = () => this.events.written();
    let link = await KeeperLink.open(this.paths, this.foreground, written);
    if (link.state.protocol !== KEEPER_PROTOCOL) {
      // A keeper of another sup version: its processes cannot be taken over. It ends them; ours starts them again.
      this.events.log(
        `the keeper (pid ${link.state.pid}) speaks protocol ${link.state.protocol}, this daemon ${KEEPER_PROTOCOL}; replacing it, its apps restart`,
      );
      await link.shutdown();
      link = await KeeperLink.open(this.paths, this.foreground, written);
    }
    this.key = Math.max(this.key, link.state.lastKey);
    this.known = { pid: link.state.pid, protocol: link.state.protocol };
    void link.closed.then(({ expected }) => {
      if (!expected && !this.ending) this.replace(link);
    });
    return link;
  }

  /**
   * A new keeper after one died, tried until one answers: the first attempt can reach the dead keeper's socket in the
   * instant before the kernel closes it ("closed the connection before its state"), and giving up would leave the apps
   * waiting for a keeper for good.
   */
  private async connectAgain(): Promise<KeeperLink> {
    for (let attempt = 1, delay = 50; ; attempt++, delay = Math.min(delay * 2, RETRY_MAX_MS)) {
      try {
        return await this.connect();
      } catch (err) {
        if (this.ending) throw err;
        if (attempt % 30 === 1) this.events.log(`no keeper yet (${(err as Error).message}); trying again`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private replace(dead: KeeperLink): void {
    const pid = dead.state.pid;
    const routes = dead.openRoutes() as LostRoute[];
    this.events.log(`the keeper (pid ${pid}) is gone; starting a new one and bringing its ${routes.length} process(es) back`);
    this.current = this.connectAgain();
    void this.current
      .then(() => this.events.replaced(pid))
      .catch((err: Error) => this.events.log(`could not replace the keeper: ${err.message}`))
      .finally(() => routes.forEach((route) => route.lost()));
  }
}
