import { Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';
import type { Link } from './list-page';

/**
 * Work on long lists in slices that give the event loop back between them
 * (setImmediate: pending I/O — other clients' requests — runs first), so a
 * list of 20,000 ports costs its own client the time it takes and everyone
 * else at most one slice per list in flight. 100 ports a slice: with four
 * full lists looping, another tenant's port show had p99 44 ms (250: 170 ms);
 * see docs/benchmarks.md.
 */
const SLICE = 100;
/** Lists shorter than this are answered as one plain body (cheaper than a stream). */
const STREAM_FROM = 500;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function selectInChunks<T>(values: T[], keep: (v: T) => boolean): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < values.length; i += SLICE * 8) {
    if (i) await yieldToLoop();
    const end = Math.min(values.length, i + SLICE * 8);
    for (let j = i; j < end; j++) if (keep(values[j])) out.push(values[j]);
  }
  return out;
}

export async function presentInChunks<T, R>(values: T[], present: (v: T) => R): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < values.length; i += SLICE) {
    if (i) await yieldToLoop();
    for (let j = i; j < Math.min(values.length, i + SLICE); j++) out.push(present(values[j]));
  }
  return out;
}

/**
 * `{"<plural>": [...], "<plural>_links": [...]}` as a stream: each slice is
 * presented and serialized when the socket wants more, one slice per turn
 * of the event loop. Same bytes as JSON.stringify of the whole body.
 */
export function streamedList<T>(plural: string, rows: T[], present: (row: T) => Record<string, unknown>, links: Link[] | null): StreamableFile {
  async function* body(): AsyncGenerator<string> {
    yield `{${JSON.stringify(plural)}:[`;
    for (let i = 0; i < rows.length; i += SLICE) {
      if (i) await yieldToLoop();
      const slice = rows.slice(i, i + SLICE).map(present);
      const text = JSON.stringify(slice);
      yield (i ? ',' : '') + text.slice(1, -1);
    }
    yield links ? `],${JSON.stringify(`${plural}_links`)}:${JSON.stringify(links)}}` : ']}';
  }
  return new StreamableFile(Readable.from(body()), { type: 'application/json; charset=utf-8' });
}
streamedList.worth = (count: number) => count >= STREAM_FROM;
