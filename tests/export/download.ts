/** Export downloads in the export tests: GET an export, expect 200, save it under the server's file name. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { TestApi } from '../api/harness';

/** GET `query` on `api`, expect 200 (the body's start as the message), save it in `dir` under the name the server gives. */
export async function downloadExport(
  api: TestApi,
  dir: string,
  query: string,
): Promise<{ file: string; name: string; body: Buffer; res: Response }> {
  const res = await api.get(query);
  const body = Buffer.from(await res.arrayBuffer());
  expect(res.status, body.toString('utf8', 0, 500)).toBe(200);
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')![1];
  const file = path.join(dir, name);
  writeFileSync(file, body);
  return { file, name, body, res };
}
