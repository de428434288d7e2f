// mapping-order: one executable, one module per command (cli/<command>.ts
// exporting `run(argv)`), loaded on demand so a command's dependencies (TLC,
// Z3, the C compiler) are touched only when it runs.

import { exitCodeFor, EXIT } from '../io/errors.js';

type Command = { summary: string };
type CommandModule = { run(argv: string[]): Promise<number> };

const COMMANDS: Record<string, Command> = {
  place: { summary: 'where does this mmap land? (scenario JSON: file, stdin, array or JSON Lines)' },
  faults: { summary: 'leaves per size, faults and fallbacks for a sequential touch of a VMA' },
  explain: { summary: 'place + faults for people: text, and SVG with --svg FILE' },
  check: { summary: 'the main job: TLC, the TypeScript checks, the differential comparison, the proofs' },
  probe: { summary: "real mmaps on this machine's kernel, each compared with the model" },
  oracle: { summary: 'the patched Linux 6.12 with a real PCI BAR (QEMU, vfio-pci), compared with the model' },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`);
  return ['usage: mapping-order <command> [options]', '', ...lines, '', 'Every command takes --json.'].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(
      `mapping-order: command: unknown command '${name}' (one of ${Object.keys(COMMANDS).join(', ')})\n`,
    );
    return EXIT.usage;
  }
  const mod = (await import(`./${name}.js`)) as CommandModule;
  return mod.run(rest);
}

// A reader that closes stdout early (`place big.jsonl | head -1`) ends the command quietly, as a Unix tool
// dies of SIGPIPE; process.exit still runs the cleanups registered in io/cleanup.ts.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(EXIT.closedPipe);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    const code = exitCodeFor(e);
    const what = code === EXIT.internal ? 'internal error: ' : '';
    process.stderr.write(`mapping-order: ${what}${msg.split('\n')[0]}\n`);
    process.exitCode = code;
  },
);
