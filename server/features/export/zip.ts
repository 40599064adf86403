/**
 * A zip written as a stream (fflate's streaming `Zip`): entries are compressed and
 * yielded chunk by chunk as their data arrives, so a zipped shapefile or bundle never sits
 * in memory whole. Entry data may be computed when the entry's turn comes (a function),
 * which is how `metadata.json` carries the feature count of the data written before it.
 */
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';

type Data = Uint8Array | string | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export interface ZipEntry {
  /** Path inside the zip: made by us from safe names, never from request input. */
  name: string;
  data: Data | (() => Data | Promise<Data>);
  /** Store without compression (already-compressed data); default: deflate. */
  store?: boolean;
}

const encoder = new TextEncoder();

export async function* zipStream(entries: Iterable<ZipEntry> | AsyncIterable<ZipEntry>, mtime = new Date()): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) failure = err;
    else out.push(chunk);
  });
  const drain = function* () {
    if (failure) throw failure;
    while (out.length) yield out.shift()!;
  };
  for await (const e of entries) {
    const file = e.store ? new ZipPassThrough(e.name) : new ZipDeflate(e.name, { level: 6 });
    file.mtime = mtime;
    zip.add(file);
    let data = typeof e.data === 'function' ? await e.data() : e.data;
    if (typeof data === 'string') data = encoder.encode(data);
    if (data instanceof Uint8Array) {
      file.push(data, true);
    } else {
      for await (const chunk of data) {
        file.push(chunk, false);
        yield* drain();
      }
      file.push(new Uint8Array(0), true);
    }
    yield* drain();
  }
  zip.end();
  yield* drain();
}
