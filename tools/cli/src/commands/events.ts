import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { EVENT_TYPES, eventSchemaOf, isEventType, subjectAggregateOf } from '@neutrino/domain';
import { intSetting, natsServers, setting } from '@neutrino/config';
import { EventStore, type StoredEvent } from '@neutrino/events';
import { renderEventsDoc } from '../events/docs';
import { formatFollowJson, formatFollowLine, parseSince, typeMatches } from '../events/follow-format';

/** The repository (the CLI runs from dist/tools/cli/src/commands). */
const REPO = path.resolve(__dirname, '../../../../..');
const SCHEMAS_FILE = 'libs/domain/src/event-catalogue/schemas.json';

/** The subject filter for --type: the one aggregate its types are on, or the whole log. */
function filterFor(type: string | undefined): string | undefined {
  if (!type) return undefined;
  const types = EVENT_TYPES.filter((t) => typeMatches(t, type));
  if (!types.length) {
    const families = [...new Set(EVENT_TYPES.map((t) => `${t.split('.')[0]}.`))].join(' ');
    throw new Error(`--type ${JSON.stringify(type)} is no event type and no prefix of one; types are listed in docs/events.md (families: ${families})`);
  }
  const aggs = new Set(types.map(subjectAggregateOf));
  return aggs.size === 1 ? `evt.${[...aggs][0]}.*` : undefined;
}

interface FollowOpts {
  type?: string;
  from?: string;
  since?: string;
  json?: boolean;
}

/**
 * Prints the events of the log in stream order: what is stored from the start
 * point (read through the archive too), then the live tail, until Ctrl-C.
 */
async function follow(o: FollowOpts): Promise<void> {
  if (o.from !== undefined && o.since !== undefined) throw new Error('give --from or --since, not both');
  const sinceMs = o.since !== undefined ? parseSince(o.since) : undefined;
  const fromSeq = o.from !== undefined ? Number(o.from) : undefined;
  if (fromSeq !== undefined && (!Number.isInteger(fromSeq) || fromSeq < 1)) throw new Error(`--from must be a stream sequence (an integer >= 1), not ${JSON.stringify(o.from)}`);
  const filter = filterFor(o.type);
  const store = await EventStore.connect({ servers: natsServers(), stream: setting('stream'), replicas: intSetting('streamReplicas'), name: 'neutrino-events-follow' });
  let stopping = false;
  const print = (e: StoredEvent) => {
    if (stopping) throw new Error('stopped');
    if (!typeMatches(e.type, o.type)) return;
    if (sinceMs !== undefined && Date.parse(e.at) < sinceMs) return;
    process.stdout.write(`${o.json ? formatFollowJson(e) : formatFollowLine(e)}\n`);
  };
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const stop = () => {
    stopping = true;
    done();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stdout.on('error', stop); // e.g. `| head`: the reader went away
  try {
    const head = await store.lastSeq();
    const start = fromSeq ?? (sinceMs !== undefined ? 1 : head + 1);
    let next = start;
    if (start <= head) {
      try {
        next = (await store.replay({ fromSeq: start, untilSeq: head, filter }, print)) + 1;
        next = Math.max(next, head + 1);
      } catch (err) {
        if (!stopping) throw err;
      }
    }
    if (!stopping) {
      const follower = store.follow({ fromSeq: next, filter, onError: (err) => console.error(`neutrino events follow: ${String(err)}`) }, (batch) => {
        for (const e of batch) if (!stopping) print(e);
      });
      await finished;
      await follower.stop();
    }
  } finally {
    await store.close();
  }
}

/** Replays the log (through the archive) and checks each event against the catalogue's schemas. */
async function check(o: { from: string; json?: boolean }): Promise<void> {
  const fromSeq = Number(o.from);
  if (!Number.isInteger(fromSeq) || fromSeq < 1) throw new Error(`--from must be a stream sequence (an integer >= 1), not ${JSON.stringify(o.from)}`);
  const { EventValidator } = await import('../events/validate');
  const validator = new EventValidator();
  const store = await EventStore.connect({ servers: natsServers(), stream: setting('stream'), replicas: intSetting('streamReplicas'), name: 'neutrino-events-check' });
  const types: Record<string, number> = {};
  const problems: Array<{ seq: number; type: string; problems: string[] }> = [];
  let checked = 0;
  try {
    await store.replay({ fromSeq }, (e) => {
      checked++;
      types[e.type] = (types[e.type] ?? 0) + 1;
      const p = validator.check(e);
      if (p.length) problems.push({ seq: e.seq, type: e.type, problems: p });
    });
  } finally {
    await store.close();
  }
  if (o.json) console.log(JSON.stringify({ checked, types, problems }));
  else {
    for (const p of problems) console.log(`#${p.seq} ${p.type}: ${p.problems.join('; ')}`);
    console.log(`checked ${checked} events of ${Object.keys(types).length} types: ${problems.length} do not match their schema`);
  }
  if (problems.length) process.exitCode = 1;
}

/** `neutrino events docs|schemas|schema|check|follow`: the log as a public contract, and a tail of it. */
export function registerEvents(program: Command): void {
  const events = program.command('events').description('the event catalogue (docs, JSON Schemas) and a live tail of the log');
  events
    .command('docs')
    .description('print docs/events.md (every event type, its subject, schema version and fields; the ordering and delivery guarantees)')
    .action(() => {
      process.stdout.write(renderEventsDoc());
    });
  events
    .command('schema <type>')
    .description("print one event type's JSON Schema (the whole message body, self-contained)")
    .action((type: string) => {
      if (!isEventType(type)) throw new Error(`unknown event type ${JSON.stringify(type)}: docs/events.md lists them`);
      process.stdout.write(`${JSON.stringify(eventSchemaOf(type), null, 2)}\n`);
    });
  events
    .command('schemas')
    .description(`regenerate ${SCHEMAS_FILE} from the catalogue's TypeScript types (needs the source tree and typescript)`)
    .option('--check', 'only compare: exit 1 when the committed file is stale')
    .action(async (o: { check?: boolean }) => {
      // loaded here: the compiler is a development dependency, and no other command needs it
      const { renderSchemasFile } = await import('../events/schema-gen');
      const file = path.join(REPO, SCHEMAS_FILE);
      const text = renderSchemasFile(REPO);
      if (o.check) {
        if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) throw new Error(`${SCHEMAS_FILE} is stale: run \`neutrino events schemas\``);
        return;
      }
      fs.writeFileSync(file, text);
      console.error(`wrote ${SCHEMAS_FILE}`);
    });
  events
    .command('check')
    .description("validate every stored event against its type's JSON Schema; exit 1 on any problem (a type without a schema too)")
    .option('--from <seq>', 'start at this stream sequence', '1')
    .option('--json', 'print the report as one JSON object (checked, types: count per type, problems)')
    .action(check);
  events
    .command('follow')
    .description('print the events of the log in stream order, then follow it live (Ctrl-C to stop)')
    .option('-t, --type <type>', 'only this type, or a prefix of types (e.g. port. or port)')
    .option('--from <seq>', 'start at this stream sequence (default: only events appended from now on)')
    .option('--since <time>', 'only the events stamped (`at`) at or after this ISO-8601 time (reads the log from its start)')
    .option('--json', 'one JSON envelope per line, with its seq and subject')
    .action(follow);
}
