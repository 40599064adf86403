/**
 * Collects small writes into chunks of about 64 KiB, so a streamed export sends a few
 * large writes instead of one per feature.
 */
const encoder = new TextEncoder();
export const CHUNK_BYTES = 64 * 1024;

export class TextChunker {
  private parts: string[] = [];
  private size = 0;

  /** Add text; returns a chunk to send when enough has gathered, else null. */
  add(s: string): Uint8Array | null {
    this.parts.push(s);
    this.size += s.length;
    return this.size >= CHUNK_BYTES / 3 ? this.flush() : null;
  }

  /** Whatever has gathered (null when nothing). */
  flush(): Uint8Array | null {
    if (!this.parts.length) return null;
    const out = encoder.encode(this.parts.join(''));
    this.parts = [];
    this.size = 0;
    return out;
  }
}
