// An app that needs time before it can serve (warming a cache, connecting to a database).
// With "wait_ready": true sup shows it `launching` until it calls process.send('ready'), and a
// reload waits for the replacement's 'ready' before stopping the old instance.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 3200);
console.log('warming up…');
await new Promise((resolve) => setTimeout(resolve, 1500));

createServer((req, res) => res.end(`ready app ${process.pid}\n`)).listen(port, '127.0.0.1', () => {
  console.log(`ready on http://127.0.0.1:${port}`);
  process.send?.('ready');
});
process.on('SIGTERM', () => process.exit(0));
