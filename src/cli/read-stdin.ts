import { SupError } from '../errors.js';

/** An ecosystem document piped in for `sup <command> -` (PM2's `cat app.json | pm2 start -`). */
export async function readStdinDocument(command: string): Promise<string> {
  if (process.stdin.isTTY) {
    throw new SupError('USAGE', `\`sup ${command} -\` reads an ecosystem document from stdin, e.g. \`cat app.json | sup ${command} -\``);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new SupError('USAGE', `\`sup ${command} -\` read nothing from stdin; pipe an ecosystem document into it`);
  return text;
}
