/** A job's answer that is a file rather than JSON: its bytes move to the main thread (not copied). */
export class JobFile {
  constructor(
    readonly bytes: Uint8Array,
    readonly contentType: string,
    readonly fileName?: string,
  ) {}
}

/**
 * A JSON answer with something for the request thread to do once it has replied (`after`, plain
 * data): e.g. store the answer (server/features/coverage/answers.ts `storeAfterReply`), so that the
 * reply does not wait for a write.
 */
export class JobJsonThenStore {
  constructor(
    readonly body: unknown,
    readonly after: unknown,
  ) {}
}

/** What a job gives the main thread: the response body's bytes, their type, (for files) a name, and what to do after replying. */
export interface JobOutput {
  bytes: Uint8Array;
  contentType: string;
  fileName?: string;
  after?: unknown;
}
