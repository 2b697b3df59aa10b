/**
 * What `guardyn <command> --help` answers: each command's usage, its options and an example.
 * Kept as data beside the dispatcher (bin/guardyn.ts) so every command answers the same way,
 * before any configuration is read or any server is reached.
 */
import { LOG_FORMATS } from '../runtime/config-log.ts';

/**
 * The roles of `guardyn serve` and the views of `guardyn rebuild`, named here so that help needs
 * none of the modules that run them (bin/app.ts's ROLES and projections/index.ts's VIEW_NAMES;
 * bin/cli-help.test.ts checks that they agree).
 */
export const ROLE_NAMES = ['auth', 'messaging', 'presence', 'projections', 'media', 'notifications', 'calls'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];
export const REBUILD_TARGETS = [
  'users',
  'sessions',
  'conversations',
  'timeline',
  'keys',
  'inbox',
  'groups',
  'media',
  'media_attachments',
  'presence',
  'pushtokens',
  'calls',
  'all',
] as const;

export interface CommandHelp {
  /** One line: what the command does. */
  readonly summary: string;
  readonly usage: readonly string[];
  /** [option, what it does]. */
  readonly options: readonly (readonly [string, string])[];
  readonly examples: readonly string[];
  readonly notes?: readonly string[];
}

const LOG_FORMAT_OPTION = [
  `--log-format=<${LOG_FORMATS.join('|')}>`,
  'log lines: readable on a terminal and JSON otherwise (auto, the default), or forced (sets GUARDYN_LOG_FORMAT)',
] as const;
const HELP_OPTION = ['-h, --help', 'this help'] as const;
const WINDOW_OPTIONS = [
  ['--stream <NAME>', 'a stream to read (ACCOUNTS, MESSAGES, MEDIA, ...); repeat for several'],
  ['--from <time|seq>', 'start of the window: an ISO time or a stream sequence (inclusive)'],
  ['--to <time|seq>', 'end of the window (inclusive)'],
] as const;

export const COMMANDS: Readonly<Record<string, CommandHelp>> = {
  up: {
    summary:
      'what `npm start` runs: a supervisor that starts a local nats-server (unless GUARDYN_MESSAGING__NATS_URL is set) and the roles in two child processes (views, gateways), and starts again what dies',
    usage: ['guardyn up [--log-format=<auto|pretty|json>]'],
    options: [LOG_FORMAT_OPTION, HELP_OPTION],
    examples: ['npm start', 'GUARDYN_MESSAGING__NATS_URL=nats://127.0.0.1:4222 guardyn up --log-format=json'],
    notes: ['Settings are GUARDYN_* environment variables: docs/reference/configuration.md.'],
  },
  serve: {
    summary: 'run one or more roles in this process, against the NATS server of GUARDYN_MESSAGING__NATS_URL',
    usage: [`guardyn serve <${ROLE_NAMES.join('|')}>[,<role>...] | all [--log-format=<auto|pretty|json>]`],
    options: [
      [`<role>`, `one of ${ROLE_NAMES.join(', ')}; several comma-separated, or all`],
      LOG_FORMAT_OPTION,
      HELP_OPTION,
    ],
    examples: ['guardyn serve all', 'GUARDYN_PORT=50061 guardyn serve auth', 'guardyn serve projections,media'],
  },
  rebuild: {
    summary: 'rebuild views from their streams (stop the projection workers first, or use --verify)',
    usage: [`guardyn rebuild <${REBUILD_TARGETS.join('|')}> [--verify [--switch]] [--log-format=<auto|pretty|json>]`],
    options: [
      ['<view>', `one of ${REBUILD_TARGETS.join(', ')}`],
      ['--verify', 'build the new view beside the live one and compare them (one view; the live view keeps serving)'],
      ['--switch', 'with --verify: switch over to the new view once it has caught up'],
      LOG_FORMAT_OPTION,
      HELP_OPTION,
    ],
    examples: ['guardyn rebuild timeline', 'guardyn rebuild users --verify --switch'],
  },
  bench: {
    summary: 'run a benchmark: figures printed beside their baselines, with the machine and its load named',
    usage: [
      'guardyn bench <name> [--duration=10s] [--warmup=2s] [--concurrency=N] [--processes=N] [--payload=1024] [--rounds=N] [--key=value ...]',
    ],
    options: [
      [
        '<name>',
        'send (default), baselines, echo-sweep, auth, group, media, history, realtime, audit, tikv, stores, cluster, partitions, grpc-web, sockets, up',
      ],
      ['--duration=<time>', 'measured time of each figure (10s; also 1500ms, 2m)'],
      ['--warmup=<time>', 'unmeasured time before it (2s)'],
      ['--concurrency=<n>', 'calls in flight over all load processes'],
      ['--processes=<n>', 'load generator processes'],
      ['--payload=<bytes>', 'message size (1024)'],
      ['--rounds=<n>', 'interleaved rounds; each figure is the median round (1)'],
      ['--<key>=<value>', 'settings of one benchmark (its source in bench/ names them)'],
      HELP_OPTION,
    ],
    examples: ['npm run bench', 'guardyn bench send --duration=30s --rounds=3', 'guardyn bench baselines'],
    notes: ['Results and how to read them: docs/BENCHMARKS.md.'],
  },
  replay: {
    summary:
      'decoded events of a window of streams as JSON Lines or CSV, with a manifest (sha256, counts) for analysts',
    usage: [
      'guardyn replay --stream <NAME> [--stream <NAME> ...] [--subject <filter>] [--from <time|seq>] [--to <time|seq>] [--format jsonl|csv] [--out <file>] [--manifest <file>] [--threads <n>]',
    ],
    options: [
      ...WINDOW_OPTIONS,
      ['--subject <filter>', 'only subjects matching this NATS filter (`messages.conv.*`)'],
      ['--format <jsonl|csv>', 'output format (jsonl)'],
      ['--out <file>', 'write the events there instead of stdout'],
      ['--manifest <file>', 'write the manifest there instead of stderr'],
      [
        '--threads <n>',
        'decode and format in n worker threads, 0 to 64 (default: one per core beside the reader, 1 to 4); the output is the same for every n',
      ],
      HELP_OPTION,
    ],
    examples: [
      'guardyn replay --stream MESSAGES --from 2026-12-01T00:00:00Z --out messages.jsonl --manifest messages.manifest.json',
    ],
  },
  audit: {
    summary:
      'prove the log unchanged (hash chains and signed checkpoints), show an aggregate as of a time, or write an HTML report',
    usage: [
      'guardyn audit verify [--stream <NAME> ...] [--from <time|seq>] [--to <time|seq>] [--require-checkpoints] [--json] [--threads <n>]',
      'guardyn audit as-of <conversation:<id>|group:<id>|account:<userId>> <time>',
      'guardyn audit report [--stream <NAME> ...] [--from <time>] [--to <time>] --out <file.html>',
    ],
    options: [
      ...WINDOW_OPTIONS,
      ['--require-checkpoints', 'verify: fail when a stream has no signed checkpoint'],
      ['--json', 'verify: the report as JSON'],
      [
        '--threads <n>',
        'verify: check the chains and checkpoint digests in n worker threads while one thread reads, 0 to 64 (default: one per core beside the reader, 1 to 4); the report is the same for every n',
      ],
      ['--out <file.html>', 'report: where the HTML report goes'],
      HELP_OPTION,
    ],
    examples: [
      'guardyn audit verify --stream MESSAGES',
      'guardyn audit as-of conversation:4f0c… 2026-12-01T12:00:00Z',
      'guardyn audit report --out audit.html',
    ],
    notes: ['Exit codes: 0 verified, 1 a broken chain or checkpoint (named), 2 bad arguments.'],
  },
};

/** The text of `guardyn <command> --help`. */
export function commandHelp(command: string): string {
  const help = COMMANDS[command];
  if (help === undefined) throw new RangeError(`no help for ${command}`);
  const width = Math.max(...help.options.map(([o]) => o.length));
  const lines = [
    `guardyn ${command}: ${help.summary}`,
    '',
    'usage:',
    ...help.usage.map((u) => `  ${u}`),
    '',
    'options:',
    ...help.options.map(([o, what]) => `  ${o.padEnd(width)}  ${what}`),
    '',
    `example${help.examples.length > 1 ? 's' : ''}:`,
    ...help.examples.map((e) => `  ${e}`),
    ...(help.notes === undefined ? [] : ['', ...help.notes]),
  ];
  return `${lines.join('\n')}\n`;
}

/** The text of `guardyn --help`. */
export function overallHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'guardyn: the server side of an end-to-end encrypted messenger, event-sourced on NATS JetStream',
    '',
    'usage: guardyn <command> [options]',
    '',
    'commands:',
    ...Object.entries(COMMANDS).map(([c, h]) => `  ${c.padEnd(width)}  ${h.summary}`),
    '',
    "`guardyn <command> --help` shows a command's options and an example.",
    '',
  ].join('\n');
}

/** Whether the arguments ask for help (`-h` or `--help` before a `--`). */
export function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** `--log-format=X` or `--log-format X` taken out of `args`: the value (undefined when absent) and the rest. */
export function takeLogFormat(args: readonly string[]): { format: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let format: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--log-format=')) format = a.slice('--log-format='.length);
    else if (a === '--log-format') format = args[++i] ?? '';
    else rest.push(a);
  }
  return { format, rest };
}
