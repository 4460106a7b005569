import net, { type AddressInfo, type Socket } from 'node:net';

/**
 * A TCP pass-through on 127.0.0.1 that can cut the network: while down, new connections are
 * reset and open ones (HQ's event stream included) are destroyed, as when a branch's WAN drops.
 */
export class NetSwitch {
  private up = true;
  private readonly server: net.Server;
  private readonly open = new Set<Socket>();

  constructor(private readonly target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      if (!this.up) {
        client.destroy();
        return;
      }
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.open.add(s);
        s.on('close', () => this.open.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  down(): void {
    this.up = false;
    for (const s of this.open) s.destroy();
  }

  restore(): void {
    this.up = true;
  }

  async close(): Promise<void> {
    this.down();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
