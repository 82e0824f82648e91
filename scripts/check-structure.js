// The layout's two rules, checked in CI (npm test runs it first): no source file in src/ past MAX_LINES lines, and no
// import cycle between src/ modules (type-only imports included: a cycle of types is still two rooms that lean on
// each other). Dependency-free on purpose: it reads import specifiers with a regular expression, which is enough for
// this codebase's `import … from '…'` and `import('…')` forms.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const MAX_LINES = 250;

/** @param {string} dir @returns {string[]} */
function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

const files = sources(SRC);
const problems = [];

for (const file of files) {
  const lines = readFileSync(file, 'utf8').split('\n').length;
  if (lines > MAX_LINES) problems.push(`${relative(ROOT, file)}: ${lines} lines (at most ${MAX_LINES}: split it by job)`);
}

const IMPORT = /(?:^|\n)\s*(?:import|export)[^'"`;]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;
/** @type {Map<string, string[]>} */
const graph = new Map();
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const deps = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    deps.push(resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
  }
  graph.set(file, deps.filter((d) => graph.has(d) || files.includes(d)));
}

// Tarjan's strongly connected components: any component of more than one module is a cycle.
let index = 0;
const indexOf = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
/** @param {string} v */
function connect(v) {
  indexOf.set(v, index);
  low.set(v, index++);
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!indexOf.has(w)) {
      connect(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), indexOf.get(w)));
  }
  if (low.get(v) === indexOf.get(v)) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) problems.push(`import cycle: ${component.map((f) => relative(SRC, f)).join(' → ')}`);
  }
}
for (const file of files) if (!indexOf.has(file)) connect(file);

if (problems.length > 0) {
  process.stderr.write(`check-structure: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`check-structure: ${files.length} modules, none over ${MAX_LINES} lines, no import cycle\n`);
