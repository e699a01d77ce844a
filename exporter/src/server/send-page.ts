// Writes a /metrics page (metrics/exposition.ts: the buffers of the models' kept text and this
// scrape's lines) to the response as they are: one writev of all of them, with a content-length,
// instead of joining 3–4 MiB into one string or buffer per scrape. A copy of that size per scrape
// was most of a scrape's own CPU time and of its garbage (bench/scrape.mjs, --cpu-prof).
import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { Page } from '../metrics/exposition.ts';

export function sendPage(reply: FastifyReply, contentType: string, page: Page): void {
  // Headers set by earlier hooks (the web config's security headers) are kept.
  const headers = { ...reply.getHeaders(), 'content-type': contentType, 'content-length': page.length };
  reply.hijack(); // Fastify leaves the response to us from here
  const res = reply.raw;
  res.writeHead(200, headers as OutgoingHttpHeaders);
  // Corked, the writes leave in one writev once uncorked; a HEAD request's are dropped by Node.
  res.cork();
  for (const chunk of page.chunks) res.write(chunk);
  res.uncork();
  res.end();
}
