/** The page shown without a session: a token field and nothing of the apps. */
export function loginPage(notice: string): string {
  const escaped = notice.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>sup: log in</title><style>body{font:16px system-ui,sans-serif;max-width:30em;margin:3em auto;padding:0 1em}input{width:100%;font:inherit;padding:.4em;box-sizing:border-box}p.n{color:#b00}</style></head><body><h1>sup</h1><p class="n">${escaped}</p><p>Open the address <code>sup web</code> printed, or paste a token (the daemon's <code>SUP_HOME/token</code> to act, <code>SUP_HOME/web-token</code> to watch).</p><form method="get" action="/"><input name="token" type="password" autocomplete="off" aria-label="token" autofocus><p><button>Log in</button></p></form></body></html>`;
}
