/**
 * The HTTP server around the Express app. Idle keep-alive connections are kept longer than
 * a client or proxy keeps them (65 s > the usual 60 s of nginx/HAProxy/ELB, > undici's 4 s),
 * so the client is always the one that closes an idle socket. When the server closes first,
 * a client that picks the socket from its pool at that moment gets ECONNRESET — seen in
 * tests whenever the event loop was blocked for a few seconds (GDAL reads, exports).
 */
import { createServer, type RequestListener, type Server } from 'node:http';

export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function createHttpServer(app: RequestListener): Server {
  const server = createServer(app);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // must exceed keepAliveTimeout, or Node may drop a request that arrives on a socket about to time out
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  return server;
}
