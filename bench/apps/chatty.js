// Prints CHATTY_RATE lines a second (default 200) on stdout, in 20 small batches a second, until stopped:
// "chatty <n> <Date.now()> " and filler to about 80 bytes, so that a reader can tell how recent a line is.
const rate = Number(process.env.CHATTY_RATE || 200);
const perBatch = Math.max(1, Math.round(rate / 20));
const filler = 'lorem ipsum dolor sit amet consectetur adipiscing elit';
let n = 0;
setInterval(() => {
  let out = '';
  for (let i = 0; i < perBatch; i++) out += `chatty ${++n} ${Date.now()} ${filler}\n`;
  process.stdout.write(out);
}, 50);
