import type { Argv } from 'yargs';

/** Examples shown by `sup <command> --help` (and the main ones by `sup --help`), as PM2 users would type them. */
export const EXAMPLES: Record<string, readonly (readonly [string, string])[]> = {
  sup: [
    ['sup start app.js -i max', 'a Node app in cluster mode, one instance per CPU'],
    ['sup start ecosystem.config.js --env production', 'every app of an ecosystem file'],
    ['sup list', 'the process table'],
    ['sup logs api --lines 50', 'recent lines of one app, then follow'],
    ['sup reload web', 'a zero-downtime rolling reload'],
    ['sup save && sup startup --install', 'bring these apps back at boot'],
    ['sup completion >> ~/.bashrc', 'tab completion in bash (zsh: >> ~/.zshrc)'],
  ],
  start: [
    ['sup start app.js --name api -i 4', 'four instances in cluster mode'],
    ['sup start worker.py', 'a Python program (also .sh, .rb, …)'],
    ['sup start "npm run serve" --name web', 'a command line (split, no shell)'],
    ['sup start app.js --max-memory-restart 300M --watch src', 'restart over 300 MB or when src/ changes'],
    ['sup start app.js -- --port 8080', 'arguments for the app after --'],
    ['sup start ecosystem.config.js --only api,worker', 'some apps of a file'],
    ['sup start api', 'start a stopped app again'],
  ],
  stop: [
    ['sup stop api', 'every instance of api'],
    ['sup stop 3', 'the process with id 3'],
    ['sup stop all', 'every app'],
  ],
  restart: [
    ['sup restart api', 'with the environment it was started with'],
    ['sup restart api --update-env', "with this shell's environment"],
    ['sup restart ecosystem.config.js --update-env', "start the file's new apps, restart the others with its current config"],
  ],
  reload: [
    ['sup reload web', 'replace cluster instances one at a time'],
    ['sup reload web --parallel 2', 'two at a time'],
    ['sup reload all', 'every app (fork-mode apps restart)'],
  ],
  scale: [
    ['sup scale web 4', 'exactly four instances'],
    ['sup scale web +2', 'two more'],
  ],
  signal: [['sup signal SIGUSR2 api', 'deliver SIGUSR2 to every instance of api']],
  send: [['sup send repl "console.log(1)"', "a line on the repl app's stdin"]],
  message: [['sup message api \'{"cmd":"refresh"}\'', "reaches process.on('message') in api"]],
  trigger: [['sup trigger api flush-cache', 'calls the action api registered with action("flush-cache", ...)']],
  delete: [
    ['sup delete api', 'stop it and forget it'],
    ['sup delete ecosystem.config.js', 'every app of the file'],
  ],
  reset: [['sup reset all', 'zero every restart counter']],
  list: [
    ['sup list', 'the process table'],
    ['sup list --json | jq ".[].status"', 'for scripts'],
  ],
  describe: [['sup describe api', 'config, log paths, CPU and memory, why it last restarted']],
  logs: [
    ['sup logs', 'every app, then follow'],
    ['sup logs api --err --lines 100', "api's stderr"],
    ['sup logs --nostream --json', 'history only, one JSON object per line'],
  ],
  events: [
    ['sup events', 'every event of every app, as it happens'],
    ['sup events crash errored --app api --json', 'for scripts: one JSON object per line'],
  ],
  flush: [['sup flush api', "empty api's log files"]],
  'reload-logs': [['sup reload-logs', 'after logrotate moved the files (or use copytruncate)']],
  init: [
    ['sup init', 'ecosystem.config.js for this folder'],
    ['sup init --yaml', 'ecosystem.config.yaml'],
  ],
  monit: [['sup monit', 'j/k select, r restart, s stop, l logs, ? help, q quit']],
  web: [
    ['sup web', 'dashboard on http://127.0.0.1:9615/; open the printed address'],
    ['sup web --port 8080 --read-only', 'another port; print only the read-only login'],
    ['sup start $(command -v sup) --name dashboard -- web', 'keep it running as a sup app'],
  ],
  save: [
    ['sup save', 'what `sup resurrect` and boot bring back'],
    ['sup save --force', 'even when no app runs'],
  ],
  resurrect: [['sup kill && sup resurrect', 'stop everything, then bring the saved apps back']],
  run: [
    ['sup run ecosystem.config.js', 'in a container: foreground, logs on stdout, SIGTERM stops all'],
    ['sup-runtime ecosystem.config.js', 'the same, as PID 1 (reaps orphaned processes)'],
  ],
  startup: [
    ['sup startup', 'print the systemd unit'],
    ['sudo env PATH="$PATH" sup startup --install --user deploy', 'write and enable it for user deploy'],
  ],
  unstartup: [['sudo sup unstartup --user deploy', 'disable and remove it']],
  update: [['npm install -g sup@latest && sup update', 'the new daemon takes over every app']],
  ping: [
    ['sup ping', 'start the daemon if needed'],
    ['sup ping --no-start', 'a liveness probe: fails when the daemon does not answer'],
  ],
  kill: [['sup kill', 'stop every app, then the daemon']],
};

/** Adds a command's examples to its builder. */
export function examples<T>(y: Argv<T>, command: keyof typeof EXAMPLES): Argv<T> {
  return (EXAMPLES[command] ?? []).reduce((acc, [cmd, what]) => acc.example(cmd, what), y);
}
