/** Requests to the host: each carries an `id`; the host's `reply` with that `replyTo` settles it. */
import type { ReplyMessage, ViewMessage, ViewRequest } from '../../src/protocol/messages';

type Unsent<R> = R extends ViewRequest ? Omit<R, 'id'> : never;

/** The page's pending requests (a page reload drops them with the page). */
export class Requests {
  private next = 1;
  private readonly pending = new Map<number, (reply: ReplyMessage) => void>();

  constructor(private readonly post: (msg: ViewMessage) => void) {}

  /** Sends a request; resolves with the host's reply to it. */
  send(msg: Unsent<ViewRequest>): Promise<ReplyMessage> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.post({ ...msg, id } as ViewRequest);
    });
  }

  /** Settles the request a reply answers; false for a reply to nothing pending (ignored). */
  settle(reply: ReplyMessage): boolean {
    const resolve = this.pending.get(reply.replyTo);
    if (!resolve) return false;
    this.pending.delete(reply.replyTo);
    resolve(reply);
    return true;
  }
}
