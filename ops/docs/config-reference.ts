/**
 * docs/reference/configuration.md, built from the configuration code itself: which GUARDYN_*
 * variables `loadConfig` reads (found by running it over an environment that records every
 * name it asks for), each one's default (found by setting it and seeing what changes), the
 * messages a bad value stops the start with (found by trying bad values), and its meaning from
 * runtime/config-variables.ts. A variable the code reads without a description fails the run.
 */
import { ConfigError, loadConfig, type Env } from '../../runtime/config.ts';
import { CONFIG_VARIABLES, type ConfigVariable } from '../../runtime/config-variables.ts';

type Leaves = Map<string, unknown>;

function leaves(value: unknown, prefix = '', out: Leaves = new Map()): Leaves {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) leaves(v, prefix === '' ? k : `${prefix}.${k}`, out);
    if (Array.isArray(value) || Object.keys(value).length === 0) out.set(prefix, JSON.stringify(value));
  } else out.set(prefix, value);
  return out;
}

function diff(a: Leaves, b: Leaves): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k));
}

/** The names `loadConfig` reads from `env` (and whether it accepted it). */
function reads(env: Env): { names: Set<string>; error: string | undefined; config: unknown } {
  const names = new Set<string>();
  const proxy = new Proxy(
    { ...env },
    {
      get(target, key) {
        if (typeof key === 'string' && key.startsWith('GUARDYN_')) names.add(key);
        return Reflect.get(target, key);
      },
    },
  );
  try {
    return { names, error: undefined, config: loadConfig(proxy) };
  } catch (err) {
    if (err instanceof ConfigError) return { names, error: err.message, config: undefined };
    throw err;
  }
}

export interface VariableRow {
  readonly name: string;
  readonly default: string;
  readonly meaning: string;
  readonly bad: readonly string[];
}

const BAD_PROBES = ['x!', '-1', '99999999999999999', '1.5'];

function badValues(name: string, base: Env): string[] {
  const messages = new Set<string>();
  for (const probe of BAD_PROBES) {
    const { error } = reads({ ...base, [name]: probe });
    if (error !== undefined)
      messages.add(error.replace(`${name}=${JSON.stringify(probe)} `, '').replaceAll(JSON.stringify(probe), '<value>'));
  }
  return [...messages];
}

/** A whole-number default found from the code: set a value, see which setting moves, scale back. */
function probedDefault(name: string, base: Env): string | undefined {
  const before = reads(base);
  if (before.error !== undefined)
    throw new Error(`the configuration does not load with ${JSON.stringify(base)}: ${before.error}`);
  const baseLeaves = leaves(before.config);
  const range = badValues(name, base)
    .map((m) => /between (\d+) and (\d+)/.exec(m))
    .find((m) => m !== null);
  const candidates = range ? [range[2]!, range[1]!, String(Number(range[1]) + 1)] : ['1', '2', '0'];
  for (const candidate of candidates) {
    const after = reads({ ...base, [name]: candidate });
    if (after.error !== undefined) continue;
    const afterLeaves = leaves(after.config);
    const changed = diff(baseLeaves, afterLeaves);
    if (changed.length !== 1) continue;
    const was = baseLeaves.get(changed[0]!);
    const now = afterLeaves.get(changed[0]!);
    if (typeof was !== 'number' || typeof now !== 'number' || now === 0) continue;
    const guess = (was * Number(candidate)) / now;
    if (!Number.isSafeInteger(guess)) continue;
    // Proof: the guessed default, set explicitly, changes nothing.
    const check = reads({ ...base, [name]: String(guess) });
    if (check.error === undefined && diff(baseLeaves, leaves(check.config)).length === 0) return String(guess);
  }
  return undefined;
}

export interface ConfigReference {
  readonly rows: readonly VariableRow[];
  readonly problems: readonly string[];
}

export function configReference(): ConfigReference {
  const problems: string[] = [];
  const described = new Map<string, ConfigVariable>(CONFIG_VARIABLES.map((v) => [v.name, v]));
  // Every name the code reads, with nothing set and with each described variable's prerequisites set.
  const found = new Map<string, Env>();
  const contexts: Env[] = [{}, ...CONFIG_VARIABLES.flatMap((v) => (v.requires === undefined ? [] : [v.requires]))];
  for (const env of contexts) {
    for (const name of reads(env).names)
      if (!found.has(name) || Object.keys(found.get(name)!).length > Object.keys(env).length) found.set(name, env);
  }
  for (const name of found.keys()) {
    if (!described.has(name))
      problems.push(
        `${name} is read by runtime/config*.ts but has no entry in runtime/config-variables.ts (name, meaning; default when it is not a whole number)`,
      );
  }
  for (const v of CONFIG_VARIABLES) {
    if (!found.has(v.name))
      problems.push(
        `${v.name} is described in runtime/config-variables.ts but the configuration code never reads it (give it \`requires\` when another variable must be set first)`,
      );
  }
  const rows: VariableRow[] = [];
  for (const v of CONFIG_VARIABLES) {
    const base = v.requires ?? found.get(v.name) ?? {};
    if (!found.has(v.name)) continue;
    const value = v.default ?? probedDefault(v.name, base);
    if (value === undefined)
      problems.push(
        `${v.name}: no default could be found from the code; give \`default\` in runtime/config-variables.ts`,
      );
    rows.push({ name: v.name, default: value ?? '?', meaning: v.meaning, bad: badValues(v.name, base) });
  }
  return { rows, problems };
}

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** `2147483648` of a `_BYTES` variable → `2147483648 (2 GiB)`; `172800` seconds → `172800 (48 h)`. */
export function readable(name: string, value: string): string {
  if (!/^\d+$/.test(value)) return value;
  const n = Number(value);
  const units = (list: readonly (readonly [number, string])[]) => {
    const hit = list.find(([size]) => n >= size && n % size === 0);
    return hit === undefined || hit[0] === 1 ? value : `${value} (${n / hit[0]} ${hit[1]})`;
  };
  if (/_BYTES$/.test(name))
    return units([
      [1024 ** 3, 'GiB'],
      [1024 ** 2, 'MiB'],
      [1024, 'KiB'],
    ]);
  if (/_SECONDS$/.test(name))
    return units([
      [86_400, 'd'],
      [3600, 'h'],
      [60, 'min'],
    ]);
  if (/_MS$/.test(name))
    return units([
      [3_600_000, 'h'],
      [60_000, 'min'],
      [1000, 's'],
    ]);
  return value;
}

/** The variable's group: `GUARDYN_AUTH__JWT_KEYS_DIR` → `AUTH`; `GUARDYN_DATA_DIR` → `general`. */
function group(name: string): string {
  const m = /^GUARDYN_([A-Z0-9]+)__/.exec(name);
  return m ? m[1]! : 'general';
}

export function renderConfigReference(rows: readonly VariableRow[]): string {
  const groups = new Map<string, VariableRow[]>();
  for (const row of rows) groups.set(group(row.name), [...(groups.get(group(row.name)) ?? []), row]);
  const order = ['general', ...[...groups.keys()].filter((g) => g !== 'general').sort()];
  const out = [
    '# Configuration reference',
    '',
    '<!-- Generated by `npm run docs` (ops/docs/generate.ts) from runtime/config*.ts and runtime/config-variables.ts. Do not edit by hand. -->',
    '',
    'Guardyn reads its settings from `GUARDYN_*` environment variables once at start (`runtime/config.ts`).',
    'An unset or empty variable takes its default; a bad value stops the start with a message naming the',
    'variable (the "refused" column shows what the code answers). Every variable the code reads is listed:',
    'the names and defaults are found by running the configuration code, so this page cannot drift from it.',
    'Limits of 0 turn a limit off where the meaning says so. Hostile input and the limit each setting changes:',
    "[LIMITS.md](../LIMITS.md); the WebSocket gateway's settings in context: [WEBSOCKET.md](../WEBSOCKET.md).",
    '',
    'To add a variable: read it in runtime/config*.ts, describe it in runtime/config-variables.ts, run `npm run docs`.',
    '',
  ];
  for (const g of order) {
    const list = groups.get(g);
    if (list === undefined) continue;
    out.push(
      `## ${g === 'general' ? 'General' : `GUARDYN_${g}__*`}`,
      '',
      '| variable | default | meaning | refused (bad values) |',
      '|---|---|---|---|',
    );
    for (const r of list)
      out.push(
        `| \`${r.name}\` | ${cell(readable(r.name, r.default))} | ${cell(r.meaning)} | ${cell(r.bad.join('; ') || 'any value')} |`,
      );
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
