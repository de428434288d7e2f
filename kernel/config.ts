// The kernel configuration fragment (kernel/config/mapping-order.config) and the check that the final
// .config holds every option it asks for. Kconfig does not refuse an option whose dependencies are unmet:
// `make olddefconfig` (scripts/kconfig/conf.c, 6.12) silently drops it, and scripts/kconfig/merge_config.sh
// only warns in its own mode. So the build compares the two files and stops on the first option that did not
// survive.

import { InputError } from '../io/errors.js';

/** One option the fragment sets: `CONFIG_X=value`, or `# CONFIG_X is not set` (value "n"). */
export interface ConfigOption {
  name: string;
  value: string;
  line: number;
}

const SET = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/;
const UNSET = /^# (CONFIG_[A-Za-z0-9_]+) is not set$/;

/** The options a fragment or a .config sets, in order; `source` names the file in errors. */
export function parseConfig(text: string, source: string): ConfigOption[] {
  const out: ConfigOption[] = [];
  const seen = new Map<string, number>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    const set = SET.exec(line);
    const unset = UNSET.exec(line);
    let opt: ConfigOption | null = null;
    if (set?.[1] !== undefined && set[2] !== undefined) opt = { name: set[1], value: set[2], line: i + 1 };
    else if (unset?.[1] !== undefined) opt = { name: unset[1], value: 'n', line: i + 1 };
    else if (line !== '' && !line.startsWith('#')) {
      throw new InputError(`${source}:${i + 1}`, `not a Kconfig line: '${line}'`);
    } else if (/^#\s*CONFIG_/.test(line)) {
      // scripts/kconfig/merge_config.sh reads any "# CONFIG_..." line as an option (its sed pattern), so a comment
      // shaped like one would change the merge without being checked here.
      throw new InputError(`${source}:${i + 1}`, `a comment that merge_config.sh reads as an option: '${line}'`);
    }
    if (!opt) return;
    const before = seen.get(opt.name);
    if (before !== undefined) {
      throw new InputError(`${source}:${i + 1}`, `${opt.name} is already set on line ${before}`);
    }
    seen.set(opt.name, opt.line);
    out.push(opt);
  });
  return out;
}

/** An option of the fragment that the final configuration does not hold as requested. */
export interface ConfigMismatch {
  name: string;
  wanted: string;
  /** The final value; "n" when the option is absent or `is not set`. */
  got: string;
}

/** Every fragment option whose final value differs; empty when the configuration is as requested. */
export function configMismatches(fragment: ConfigOption[], finalConfig: ConfigOption[]): ConfigMismatch[] {
  const final = new Map(finalConfig.map((o) => [o.name, o.value]));
  return fragment
    .map((o) => ({ name: o.name, wanted: o.value, got: final.get(o.name) ?? 'n' }))
    .filter((m) => m.wanted !== m.got);
}

/** Throws InputError naming the first option of the fragment that the final .config dropped or changed. */
export function verifyConfig(fragmentText: string, fragmentName: string, finalText: string): void {
  const wrong = configMismatches(parseConfig(fragmentText, fragmentName), parseConfig(finalText, '.config'));
  const first = wrong[0];
  if (!first) return;
  const rest = wrong.slice(1).map((m) => m.name);
  const more = rest.length > 0 ? ` (and ${rest.length} more: ${rest.join(', ')})` : '';
  throw new InputError(
    first.name,
    `${fragmentName} asks for ${first.wanted}, olddefconfig gave ${first.got} (an unmet Kconfig dependency)${more}`,
  );
}
