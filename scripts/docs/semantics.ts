// The generated parts of docs/SEMANTICS.md other than the worked examples:
// the arch leaf tables (model/geometry.ts), the four policies side by side on
// the same requests (answered by `mapping-order place`), and the verdict
// matrix (spec/verdicts.json).

import { sizeLabel } from '../../render/units.js';
import { ARCH_NAMES, GEOMETRIES, GiB, MiB } from '../../model/geometry.js';
import { POLICY_NAMES } from '../../model/policy/index.js';
import { anchorOf } from './findings.js';
import { runCli } from './run-cli.js';
import { SPEC_ARCHES, type Manifest } from '../../check/manifest.js';
import { hex } from '../../model/u64.js';

export function leafTable(): string {
  const rows = ARCH_NAMES.map((name) => {
    const g = GEOMETRIES[name];
    const sizes = (orders: readonly number[]) =>
      orders.map((o) => `${o} (${sizeLabel(g.pageSize << BigInt(o))})`).join(', ');
    const cells = [
      `\`${name}\``,
      sizeLabel(g.pageSize),
      sizes(g.leafOrders),
      sizes(g.pfnmapOrders),
      g.pmdOrder,
      g.pudOrder ?? 'none',
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return [
    "| arch | PAGE_SIZE | leaf orders (the clamp's table: `geometry.leafOrders`) | huge PFN-map orders (what " +
      'vfio_pci_mmap_huge_fault can install: `geometry.pfnmapOrders`) | PMD_ORDER | PUD_ORDER |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export interface PolicyRow {
  readonly label: string;
  readonly scenario: Record<string, unknown>;
}

/** The requests of the side-by-side table (x86_64, the default mm), each put to every policy. */
export function policyRows(): PolicyRow[] {
  const B = GEOMETRIES.x86_64.defaults.mmapBase;
  const drv = (driver: string, barSize?: bigint) => ({
    kind: 'driver',
    driver,
    ...(barSize !== undefined ? { barSize: hex(barSize) } : {}),
  });
  const req = (len: bigint, pgoff = 0n, extra: Record<string, unknown> = {}) => ({
    len: hex(len),
    pgoff: hex(pgoff),
    shared: true,
    ...extra,
  });
  return [
    {
      label: 'order 0 (vfio-pci on a 1M BAR), a gap of exactly len under mmap_base',
      scenario: {
        vmas: [{ start: hex(B - 2n * MiB), end: hex(B - MiB) }],
        file: drv('vfio-pci', MiB),
        request: req(MiB),
      },
    },
    { label: 'order -1 (a misbehaving driver), 2M', scenario: { file: drv('order:-1'), request: req(2n * MiB) } },
    { label: 'order 3 (32K: no x86 leaf), 2M', scenario: { file: drv('order:3'), request: req(2n * MiB) } },
    { label: 'order 52 (PAGE_SIZE << 52 overflows), 2M', scenario: { file: drv('order:52'), request: req(2n * MiB) } },
    {
      label: "Jason's example: 64M BAR from 2M + 4K to its end (vfio-pci: 9)",
      scenario: { file: drv('vfio-pci', 64n * MiB), request: req(64n * MiB - 2n * MiB - 4096n, 0x201n) },
    },
    {
      label: '1G BAR from 2M, len 1G - 2M (driver: BAR order 18)',
      scenario: { file: drv('vfio-pci-jason', GiB), request: req(GiB - 2n * MiB, 0x200n) },
    },
    {
      label: '4G BAR from 2M, len 1G + 2M (vfio-pci: 18)',
      scenario: { file: drv('vfio-pci', 4n * GiB), request: req(GiB + 2n * MiB, 0x200n) },
    },
    {
      label: 'a free hint 0x7f0000000000 (64M BAR, vfio-pci: 9)',
      scenario: { file: drv('vfio-pci', 64n * MiB), request: req(64n * MiB, 0n, { addr: '0x7f0000000000' }) },
    },
    {
      label: 'a hint inside a VMA (64M BAR, vfio-pci: 9)',
      scenario: {
        vmas: [{ start: '0x7f0000000000', end: '0x7f0000001000' }],
        file: drv('vfio-pci', 64n * MiB),
        request: req(64n * MiB, 0n, { addr: '0x7f0000000000' }),
      },
    },
    {
      label: 'MAP_FIXED at 0x7f0000001000 (64M BAR)',
      scenario: {
        file: drv('vfio-pci', 64n * MiB),
        request: req(64n * MiB, 0n, { addr: '0x7f0000001000', fixed: true }),
      },
    },
    {
      label: 'a compat (32-bit) mmap of a 64M BAR',
      scenario: { file: drv('vfio-pci', 64n * MiB), request: req(64n * MiB, 0n, { compat: true }) },
    },
  ];
}

/** The scenarios of the table as one `place` input: every row under every policy, in row order. */
export function policyInput(rows: readonly PolicyRow[]): Record<string, unknown>[] {
  return rows.flatMap((r) =>
    POLICY_NAMES.map((policy) => ({ comment: `${r.label}, policy ${policy}`, arch: 'x86_64', policy, ...r.scenario })),
  );
}

interface Answer {
  va: string | null;
  error: string | null;
  path: string;
  order: number;
  alignment: string;
  congruent: boolean | null;
}

function cellText(a: Answer): string {
  const where = a.va !== null ? `\`${a.va}\`` : `**${a.error ?? '?'}**`;
  const s = sizeLabel(BigInt(a.alignment));
  const cong = a.congruent === null ? '' : a.congruent ? ', ≡ off' : ', ≢ off';
  return `${where}<br>${a.path}${a.order !== 0 || a.path === 'aligned' || a.path === 'fallback' ? ` ${s}` : ''}${cong}`;
}

/** The table, from the answers `mapping-order place --json` gives for policyInput(rows). */
export async function policyTable(rows: readonly PolicyRow[], inputJson: string): Promise<string> {
  const answers = JSON.parse(await runCli('place', ['--json'], inputJson)) as Answer[];
  const n = POLICY_NAMES.length;
  if (answers.length !== rows.length * n)
    throw new Error(`place answered ${answers.length} scenarios, expected ${rows.length * n}`);
  return [
    `| request (x86_64, default mm) | ${POLICY_NAMES.join(' | ')} |`,
    `|---|${POLICY_NAMES.map(() => '---').join('|')}|`,
    ...rows.map(
      (r, i) =>
        `| ${r.label} | ${answers
          .slice(i * n, i * n + n)
          .map(cellText)
          .join(' | ')} |`,
    ),
  ].join('\n');
}

export function verdictMatrix(v: Pick<Manifest, 'invariants' | 'policies' | 'matrix'>): string {
  const policies = v.policies;
  const rows = v.invariants.map((inv) => {
    const cells = policies.map((p) => {
      const c = v.matrix[inv][p];
      // Where the verdict is decided: where it holds (both, when it holds) or where it is violated.
      const on = SPEC_ARCHES.filter((a) => c.arches[a] === c.verdict);
      const where = on.length === SPEC_ARCHES.length ? 'both' : on.join(', ');
      const verdict =
        c.verdict === 'holds' ? 'holds' : `[**violated**](FINDINGS.md${anchorOf({ invariant: inv, policy: p })})`;
      return `${verdict} (${where})`;
    });
    return `| [${inv}](#${inv.toLowerCase()}) | ${cells.join(' | ')} |`;
  });
  return [`| invariant | ${policies.join(' | ')} |`, `|---|${policies.map(() => '---').join('|')}|`, ...rows].join(
    '\n',
  );
}
