import type { AppConfig } from '../config/app-config.js';
import type { SupEvent } from '../protocol/messages.js';
import { Instance, type InstanceOwner } from './instance.js';
import { LogSink, logPaths } from './log-sink.js';

/** What an app needs from the supervisor around it. */
export interface AppHub {
  emit(event: SupEvent): void;
  /** Log events cost a string copy per chunk; they are built only while someone listens. */
  wantsLogs(): boolean;
  log(message: string): void;
  readonly logsDir: string;
}

/** An app: its resolved config, the environment it was started with, its instances and their log files. */
export class App implements InstanceOwner {
  readonly instances: Instance[];
  private readonly sinks = new Map<string, LogSink>();

  constructor(
    public config: AppConfig,
    public baseEnv: Readonly<Record<string, string>>,
    ids: readonly number[],
    private readonly hub: AppHub,
  ) {
    this.instances = ids.map((id, index) => new Instance(id, index, this));
  }

  logPaths(instance: number): { out: string; err: string } {
    return logPaths(this.config, instance, this.hub.logsDir);
  }

  output(instance: Instance, stream: 'out' | 'err', chunk: Buffer): void {
    const path = this.logPaths(instance.index)[stream];
    if (path !== '/dev/null') this.sink(path).write(chunk);
    if (!this.hub.wantsLogs()) return;
    this.hub.emit({
      type: 'log',
      id: instance.id,
      name: this.config.name,
      instance: instance.index,
      stream,
      data: chunk.toString('utf8'),
    });
  }

  changed(instance: Instance): void {
    this.hub.emit({ type: 'process', process: instance.info() });
  }

  log(message: string): void {
    this.hub.log(`${this.config.name}: ${message}`);
  }

  async close(): Promise<void> {
    await Promise.all([...this.sinks.values()].map((s) => s.close()));
    this.sinks.clear();
  }

  // merge_logs and shared out_file paths make several instances write one file through one sink.
  private sink(path: string): LogSink {
    let sink = this.sinks.get(path);
    if (!sink) {
      sink = new LogSink(path, (file, err) => this.log(`cannot write log file ${file}: ${err.message}; its output is dropped`));
      this.sinks.set(path, sink);
    }
    return sink;
  }
}
