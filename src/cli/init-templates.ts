/** `sup init` writes one of these: a working ecosystem file whose comments teach the keys people reach for first. */

export type InitFormat = 'js' | 'cjs' | 'mjs' | 'json' | 'yaml';

/** `esm`: a .js file in a package whose package.json says "type": "module" is an ES module. */
export function initTemplate(format: InitFormat, name: string, script: string, file: string, esm = false): string {
  if (format === 'json') return jsonTemplate(name, script);
  if (format === 'yaml') return yamlTemplate(name, script, file);
  const head = format === 'mjs' || (format === 'js' && esm) ? 'export default {' : 'module.exports = {';
  return `// sup ecosystem file: \`sup start ${file}\`.
// Keys keep PM2's names; every key, its default and its meaning: \`sup init --json\` writes a file with the
// JSON Schema reference that editors use to complete and check keys.
${head}
  apps: [
    {
      name: ${JSON.stringify(name)},
      script: ${JSON.stringify(script)},
      // args: ['--port', '3000'],
      // instances: 'max',          // one per CPU; Node apps then run in cluster mode and share their port
      // exec_mode: 'cluster',
      // wait_ready: true,          // online only after process.send('ready')
      // max_memory_restart: '300M',
      // watch: ['src'],            // restart on changes
      // cron_restart: '0 3 * * *',
      // env_file: '.env',
      env: {
        NODE_ENV: 'development',
      },
      env_production: {             // used with \`--env production\`
        NODE_ENV: 'production',
      },
    },
  ],
};
`;
}

function jsonTemplate(name: string, script: string): string {
  const doc = {
    $schema: './node_modules/sup/ecosystem.schema.json',
    apps: [{ name, script, env: { NODE_ENV: 'development' }, env_production: { NODE_ENV: 'production' } }],
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function yamlTemplate(name: string, script: string, file: string): string {
  return `# yaml-language-server: $schema=./node_modules/sup/ecosystem.schema.json
# sup ecosystem file: \`sup start ${file}\`. Keys keep PM2's names.
apps:
  - name: ${JSON.stringify(name)}
    script: ${JSON.stringify(script)}
    # instances: max            # one per CPU; Node apps then run in cluster mode and share their port
    # max_memory_restart: 300M
    # watch: [src]
    # env_file: .env
    env:
      NODE_ENV: development
    env_production:             # used with --env production
      NODE_ENV: production
`;
}
