// The worked examples of docs/SEMANTICS.md: each is an input file of
// `mapping-order explain` (docs/figures/<name>.json, written by `npm run gen`),
// explained by the command itself; the docs show a table drawn from the same
// explanation, the command's text output and its SVG picture
// (docs/figures/<name>.svg). Numbers are JSON strings, as the CLI wants them;
// mm fields left out take the geometry's defaults.

import { parseInput } from '../../io/input.js';
import { buildDoc, type ExplainDoc } from '../../render/doc.js';
import { parseExplainInput } from '../../scenario/scheme.js';
import { renderSvg } from '../../render/svg.js';
import { leavesText, sizeLabel } from '../../render/units.js';
import { runCli } from './run-cli.js';
import { hex } from '../../model/u64.js';

export interface Example {
  /** File name stem under docs/figures/. */
  readonly name: string;
  /** The explain inputs (scenarios or schemes), each with a `label` for the table (not part of the input). */
  readonly runs: readonly { readonly label: string; readonly input: Record<string, unknown> }[];
}

const BAR64M = { kind: 'driver', driver: 'vfio-pci', barSize: '0x4000000' };
const MSIX = { size: '0x4000000', msix: { offset: '0x200000', size: '0x800' } };
// DPDK's reservation hint: pci_map_addr, just past its hugepage memory; page-aligned and nothing more.
const DPDK_HINT = '0x7f0000001000';

export const EXAMPLES: readonly Example[] = [
  {
    name: 'dpdk-msix',
    runs: [
      {
        label: 'DPDK today (upstream kernel)',
        input: {
          comment:
            'DPDK pci_vfio_mmap_bar(): reserve the 64M BAR at pci_map_addr (an anonymous hint, so no THP alignment), ' +
            'then MAP_FIXED each part around the MSI-X table at base + offset.',
          scheme: 'dpdk',
          arch: 'x86_64',
          policy: 'baseline',
          file: BAR64M,
          bar: MSIX,
          reserveHint: DPDK_HINT,
        },
      },
      {
        label: 'each part mmap()ed with addr 0, upstream',
        input: {
          comment:
            'No reservation: each part is mmap()ed with addr 0 and the kernel places it; baseline = upstream v6.18, ' +
            'no hook.',
          scheme: 'kernel',
          arch: 'x86_64',
          policy: 'baseline',
          file: BAR64M,
          bar: MSIX,
        },
      },
      {
        label: 'each part mmap()ed with addr 0, v2',
        input: {
          comment: "The same calls on Peter Xu's v2: vfio-pci returns PMD_ORDER for both parts.",
          scheme: 'kernel',
          arch: 'x86_64',
          policy: 'v2',
          file: BAR64M,
          bar: MSIX,
        },
      },
      {
        label: 'each part mmap()ed with addr 0, optimal',
        input: {
          comment:
            "The same calls under this project's proposal: Jason's expectation, part 1 at VA ≡ 2M + 4K (mod 2M).",
          scheme: 'kernel',
          arch: 'x86_64',
          policy: 'optimal',
          file: BAR64M,
          bar: MSIX,
        },
      },
    ],
  },
  {
    name: 'qemu-regions',
    runs: [
      {
        label: 'QEMU 9.2, MSI-X page at 2M',
        input: {
          comment:
            'QEMU 9.2 (00b519c0bca0): per-area align = MIN(lowest set bit of the area size, 1G), VA ≡ 0 (mod align).',
          scheme: 'qemu-9.2',
          arch: 'x86_64',
          policy: 'baseline',
          file: BAR64M,
          bar: MSIX,
        },
      },
      {
        label: 'QEMU since Feb 2026, MSI-X page at 2M',
        input: {
          comment:
            'QEMU since Feb 2026 (3863e47828d5): align = MIN(pow2ceil(region size), 1G) for the whole region, each ' +
            'area MAP_FIXED at base + offset.',
          scheme: 'qemu-2026',
          arch: 'x86_64',
          policy: 'baseline',
          file: BAR64M,
          bar: MSIX,
        },
      },
      {
        label: 'QEMU 9.2, sparse areas [0, 1M) and [1M, 33M)',
        input: {
          comment:
            'Sparse mmap areas: the second is 32M long at offset 1M, so QEMU 9.2 aligns it to 32M, incongruent with ' +
            'its offset modulo 2M.',
          scheme: 'qemu-9.2',
          arch: 'x86_64',
          policy: 'baseline',
          file: BAR64M,
          bar: {
            size: '0x4000000',
            sparse: [
              { offset: '0x0', size: '0x100000' },
              { offset: '0x100000', size: '0x2000000' },
            ],
          },
        },
      },
      {
        label: 'QEMU since Feb 2026, the same sparse areas',
        input: {
          comment: 'The same sparse areas under the Feb 2026 scheme: one 64M-aligned base, each area at base + offset.',
          scheme: 'qemu-2026',
          arch: 'x86_64',
          policy: 'baseline',
          file: BAR64M,
          bar: {
            size: '0x4000000',
            sparse: [
              { offset: '0x0', size: '0x100000' },
              { offset: '0x100000', size: '0x2000000' },
            ],
          },
        },
      },
    ],
  },
  {
    name: 'bar-1g-from-2m',
    runs: [
      {
        label: 'v2, driver returns the BAR order (18)',
        input: {
          comment:
            "Peter Xu's counter-example: a 1G BAR mapped from 2M (len 1G - 2M); a driver returning the BAR's order, " +
            "18, under v2's core.",
          arch: 'x86_64',
          policy: 'v2',
          file: { kind: 'driver', driver: 'vfio-pci-jason', barSize: '0x40000000' },
          request: { len: '0x3fe00000', pgoff: '0x200', shared: true },
        },
      },
      {
        label: 'v2, vfio-pci clamps in the driver (9)',
        input: {
          comment: "v2's own vfio-pci: MIN(1G - 2M, len) < 1G, so it returns PMD_ORDER.",
          arch: 'x86_64',
          policy: 'v2',
          file: { kind: 'driver', driver: 'vfio-pci', barSize: '0x40000000' },
          request: { len: '0x3fe00000', pgoff: '0x200', shared: true },
        },
      },
      {
        label: 'jason, driver returns 18',
        input: {
          comment: 'jason: O1 = min(18, floor_log2(1G - 2M) - 12 = 17) = 17, O2 = 9 (PMD).',
          arch: 'x86_64',
          policy: 'jason',
          file: { kind: 'driver', driver: 'vfio-pci-jason', barSize: '0x40000000' },
          request: { len: '0x3fe00000', pgoff: '0x200', shared: true },
        },
      },
      {
        label: 'optimal, driver returns 18',
        input: {
          comment: 'optimal: no whole 1G chunk in [2M, 1G), a whole 2M chunk: O = 9.',
          arch: 'x86_64',
          policy: 'optimal',
          file: { kind: 'driver', driver: 'vfio-pci-jason', barSize: '0x40000000' },
          request: { len: '0x3fe00000', pgoff: '0x200', shared: true },
        },
      },
    ],
  },
  {
    name: 'bar-4g-unaligned',
    runs: [
      {
        label: 'baseline (upstream)',
        input: {
          comment: 'A 4G BAR mapped from 2M, 1G + 2M long: [2M, 1G + 4M). Upstream: no hook, plain placement.',
          arch: 'x86_64',
          policy: 'baseline',
          file: { kind: 'driver', driver: 'vfio-pci', barSize: '0x100000000' },
          request: { len: '0x40200000', pgoff: '0x200', shared: true },
        },
      },
      {
        label: 'v2 with vfio-pci (returns 18)',
        input: {
          comment:
            "v2's vfio-pci: MIN(4G - 2M, len) >= 1G, so PUD_ORDER; the range holds no whole 1G chunk, " +
            '__thp_get_unmapped_area returns 0.',
          arch: 'x86_64',
          policy: 'v2',
          file: { kind: 'driver', driver: 'vfio-pci', barSize: '0x100000000' },
          request: { len: '0x40200000', pgoff: '0x200', shared: true },
        },
      },
      {
        label: 'jason, driver returns 20',
        input: {
          comment:
            'jason: O1 = min(20, floor_log2(1G + 2M) - 12 = 18) = 18, a leaf order (PUD), but no whole 1G chunk.',
          arch: 'x86_64',
          policy: 'jason',
          file: { kind: 'driver', driver: 'vfio-pci-jason', barSize: '0x100000000' },
          request: { len: '0x40200000', pgoff: '0x200', shared: true },
        },
      },
      {
        label: 'optimal, driver returns 20',
        input: {
          comment: 'optimal: 1G has no whole chunk in [2M, 1G + 4M), 2M has: O = 9.',
          arch: 'x86_64',
          policy: 'optimal',
          file: { kind: 'driver', driver: 'vfio-pci-jason', barSize: '0x100000000' },
          request: { len: '0x40200000', pgoff: '0x200', shared: true },
        },
      },
    ],
  },
];

export interface RenderedExample {
  readonly inputJson: string;
  readonly svg: string;
  readonly markdown: string;
}

function tableRows(label: string, doc: ExplainDoc): string[] {
  return doc.vmas.map((v) => {
    const p = v.placement;
    const f = v.faults;
    const leaves =
      f === null
        ? ''
        : f.ok
          ? `${leavesText(f.report.leaves)} (${f.report.faults} fault${f.report.faults === 1n ? '' : 's'})`
          : `none: ${f.error}`;
    const area =
      doc.vmas.length > 1 || doc.steps.length > 0
        ? v.title.replace(/^area (\d+): BAR /, 'area $1 ')
        : `[${hex(v.off)}, ${hex(v.off + v.len)})`;
    return (
      `| ${label} | ${area} | ${v.driverOrder ?? ''} | ${p.path} | ${sizeLabel(p.alignment)} | ` +
      `${p.va !== null ? `\`${hex(p.va)}\`` : (p.error ?? '')} | ${congruenceAt2M(v)} | ${leaves} |`
    );
  });
}

/** VA ≡ off modulo each huge PFN-map size that leaves were possible at, in short. */
function congruenceAt2M(v: ExplainDoc['vmas'][number]): string {
  const p = v.placement;
  if (p.va === null) return '';
  const mod = (x: bigint, m: bigint) => ((x % m) + m) % m;
  const M2 = 2n << 20n;
  return mod(p.va - v.off, M2) === 0n ? 'yes' : `no (VA ${hex(mod(p.va, M2))}, off ${hex(mod(v.off, M2))})`;
}

/** The input file, the SVG and the Markdown block of one example. */
export async function renderExample(e: Example): Promise<RenderedExample> {
  const inputs = e.runs.map((r) => r.input);
  const inputJson = JSON.stringify(inputs, null, 2) + '\n';
  const parsed = parseInput(inputJson, `docs/figures/${e.name}.json`);
  const docs = parsed.items.map((it) => buildDoc(parseExplainInput(it.value, it.where)));
  const text = await runCli('explain', [], inputJson);
  const rows = e.runs.flatMap((r, i) => tableRows(r.label, docs[i]!));
  const markdown = [
    `Input [docs/figures/${e.name}.json](figures/${e.name}.json); \`npx mapping-order explain ` +
      `docs/figures/${e.name}.json --svg docs/figures/${e.name}.svg\` prints the text below and draws the figure.`,
    '',
    '| run | VMA (file range) | get_mapping_order | path | alignment | VA | VA ≡ off (mod 2M) | leaves |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `![${e.name}: the leaves of each VMA](figures/${e.name}.svg)`,
    '',
    '<details><summary><code>mapping-order explain</code> output</summary>',
    '',
    '```text',
    text.replace(/\n+$/, ''),
    '```',
    '',
    '</details>',
  ].join('\n');
  return { inputJson, svg: renderSvg(docs), markdown };
}
