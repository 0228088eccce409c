// How every answer leaves the sandbox: the answers a turn of the event loop produced go out together at its end
// (setImmediate), one after another. Under concurrent load the requests read in one turn are all processed first,
// so a client waiting on several connections is woken once for the burst instead of once per answer (on the bench's
// 2-core machine a wake-up costs as much as a third of an Encrypt; the floor server measured 1.2× the throughput
// this way). A lone request waits only for the rest of its own turn.
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

interface Answer {
  res: ServerResponse;
  status: number;
  headers: OutgoingHttpHeaders;
  body: string | Buffer;
}

let queued: Answer[] = [];
const answered = new WeakSet<ServerResponse>();

/** Sends the answer at the end of this turn; a second answer to the same request is dropped. */
export function respond(
  res: ServerResponse,
  status: number,
  headers: OutgoingHttpHeaders,
  body: string | Buffer,
): void {
  if (isAnswered(res)) return;
  answered.add(res);
  if (queued.push({ res, status, headers, body }) === 1) setImmediate(flush);
}

/** Whether the request has its answer (sent, or going out at the end of this turn). */
export function isAnswered(res: ServerResponse): boolean {
  return res.headersSent || answered.has(res);
}

function flush(): void {
  const answers = queued;
  queued = [];
  for (const { res, status, headers, body } of answers) {
    try {
      res.writeHead(status, headers);
      res.end(body);
    } catch {
      // A connection that went away meanwhile: nothing to answer.
      res.destroy();
    }
  }
}
