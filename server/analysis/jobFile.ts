/** A job's answer that is a file rather than JSON: its bytes move to the main thread (not copied). */
export class JobFile {
  constructor(
    readonly bytes: Uint8Array,
    readonly contentType: string,
    readonly fileName?: string,
  ) {}
}

/** What a job gives the main thread: the response body's bytes, their type and (for files) a name. */
export interface JobOutput {
  bytes: Uint8Array;
  contentType: string;
  fileName?: string;
}
