import { SendError, type DeliveryRecord, type Sender } from './delivery.js';

export interface SseClient {
  write(chunk: string): void;
}

/**
 * Open web pages by device token. An alert for a page that is not open waits in
 * the outbox and is retried with back-off, so a reload in between still gets it.
 */
export class SseHub implements Sender {
  private readonly clients = new Map<string, Set<SseClient>>();

  add(device: string, c: SseClient): () => void {
    let set = this.clients.get(device);
    if (!set) this.clients.set(device, (set = new Set()));
    set.add(c);
    return () => {
      set.delete(c);
      if (set.size === 0 && this.clients.get(device) === set) this.clients.delete(device);
    };
  }

  connected(device: string): number {
    return this.clients.get(device)?.size ?? 0;
  }

  async send(d: DeliveryRecord): Promise<void> {
    const set = this.clients.get(d.to);
    if (!set || set.size === 0) throw new SendError('web page not open', true);
    const frame = `id: ${d.id}\nevent: alert\ndata: ${JSON.stringify({ ...d.payload, deliveryId: d.id })}\n\n`;
    for (const c of set) c.write(frame);
  }

  /** A comment line keeps proxies from closing an idle stream. */
  heartbeat(): void {
    for (const set of this.clients.values()) for (const c of set) c.write(': keep-alive\n\n');
  }
}
