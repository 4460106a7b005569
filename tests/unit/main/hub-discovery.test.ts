import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { bonjourMdns, HUB_SERVICE_TYPE, HubAnnouncer, HubDiscovery } from '../../../main/hub/discovery';
import type { DiscoveredHub, Mdns, MdnsAnswer } from '../../../main/hub/discovery';
import { normalizeFingerprint } from '../../../main/hub/pinned';

// Finding the branch hub on the LAN (issue 17 pt 2): only answers of this PC's branch are kept, an
// answer is used directly only when its certificate is the pinned one, any other is listed for
// pairing. The logic runs against a fake mDNS; one test announces and browses for real.

const fp = (seed: string) =>
  createHash('sha256')
    .update(seed)
    .digest('hex')
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1:');

class FakeMdns implements Mdns {
  published: { name: string; type: string; port: number; txt: Record<string, string> }[] = [];
  browsers: { type: string; on: { up(a: MdnsAnswer): void; down(a: MdnsAnswer): void }; updates: number }[] = [];
  publish(s: { name: string; type: string; port: number; txt: Record<string, string> }) {
    this.published.push(s);
    return { stop: () => void (this.published = this.published.filter((p) => p !== s)) };
  }
  browse(type: string, on: { up(a: MdnsAnswer): void; down(a: MdnsAnswer): void }) {
    const b = { type, on, updates: 0 };
    this.browsers.push(b);
    return { update: () => void b.updates++, stop: () => void (this.browsers = this.browsers.filter((x) => x !== b)) };
  }
  destroy() {}
  /** Every browser hears what every publisher of this fake announced, from `address`. */
  answerAll(address = '192.168.10.5') {
    for (const p of this.published) for (const b of this.browsers) if (b.type === p.type) b.on.up({ name: p.name, port: p.port, addresses: [address], referer: { address }, txt: p.txt });
  }
}

function setup(o: { branch?: string | null; pinned?: string | null } = {}) {
  const mdns = new FakeMdns();
  const trusted: DiscoveredHub[] = [];
  let pinned = o.pinned ?? null;
  const discovery = new HubDiscovery({
    mdns,
    branchCode: () => (o.branch === undefined ? 'JKT01' : o.branch),
    pinned: () => pinned,
    onTrusted: (h) => trusted.push(h),
    now: () => new Date('2026-03-02T02:00:00Z'),
  });
  discovery.start();
  return { mdns, discovery, trusted, pin: (f: string | null) => (pinned = f) };
}

describe('hub discovery', () => {
  it('keeps only hubs of this branch, and uses none of them until one is pinned', () => {
    const { mdns, discovery, trusted } = setup();
    new HubAnnouncer(mdns, { branchCode: 'JKT01', fingerprint: fp('ours'), port: 47600 }).start();
    new HubAnnouncer(mdns, { branchCode: 'BDG02', fingerprint: fp('theirs'), port: 47600 }).start();
    mdns.answerAll();
    const hubs = discovery.list();
    expect(hubs).toHaveLength(1);
    expect(hubs[0]).toMatchObject({ host: '192.168.10.5', port: 47600, fingerprint: fp('ours'), trusted: false });
    expect(trusted).toEqual([]);
  });

  it('uses an answer directly when its fingerprint is the pinned one, however the pin is written', () => {
    const { mdns, discovery, trusted } = setup({ pinned: normalizeFingerprint(fp('ours')).toLowerCase() });
    new HubAnnouncer(mdns, { branchCode: 'JKT01', fingerprint: fp('ours'), port: 47601 }).start();
    new HubAnnouncer(mdns, { branchCode: 'JKT01', fingerprint: fp('impostor'), port: 47602 }).start();
    mdns.answerAll();
    expect(trusted.map((h) => h.port)).toEqual([47601]);
    // Listed: trusted first, the other offered for pairing.
    expect(discovery.list().map((h) => [h.port, h.trusted])).toEqual([
      [47601, true],
      [47602, false],
    ]);
  });

  it('a hub seen before the pin is used once the pin arrives (recheck)', () => {
    const { mdns, discovery, trusted, pin } = setup();
    new HubAnnouncer(mdns, { branchCode: 'JKT01', fingerprint: fp('ours'), port: 47600 }).start();
    mdns.answerAll();
    expect(trusted).toEqual([]);
    pin(fp('ours'));
    discovery.recheck();
    expect(trusted.map((h) => h.fingerprint)).toEqual([fp('ours')]);
  });

  it('ignores malformed announcements and lists nothing before the branch is set up', () => {
    const { mdns, discovery } = setup();
    const on = mdns.browsers[0]!.on;
    on.up({ name: 'no txt', port: 47600, addresses: ['10.0.0.2'] });
    on.up({ name: 'short fp', port: 47600, addresses: ['10.0.0.2'], txt: { branch: 'JKT01', fp: 'ABCD' } });
    on.up({ name: 'bad port', port: 0, addresses: ['10.0.0.2'], txt: { branch: 'JKT01', fp: normalizeFingerprint(fp('x')) } });
    expect(discovery.list()).toEqual([]);
    const none = setup({ branch: null });
    new HubAnnouncer(none.mdns, { branchCode: 'JKT01', fingerprint: fp('ours'), port: 47600 }).start();
    none.mdns.answerAll();
    expect(none.discovery.list()).toEqual([]);
  });

  it('prefers a routable IPv4 address, and forgets a hub that says goodbye', () => {
    const { mdns, discovery } = setup();
    const on = mdns.browsers[0]!.on;
    const txt = { branch: 'JKT01', fp: normalizeFingerprint(fp('ours')) };
    on.up({ name: 'hub', port: 47600, addresses: ['fe80::1', '169.254.3.4', '10.1.2.3'], referer: { address: 'fe80::1' }, txt });
    expect(discovery.list()[0]!.host).toBe('10.1.2.3');
    on.down({ name: 'hub', port: 47600 });
    expect(discovery.list()).toEqual([]);
  });

  it('announces _loket-hub._tcp with the branch and the fingerprint as 64 hex digits', () => {
    const mdns = new FakeMdns();
    const a = new HubAnnouncer(mdns, { branchCode: 'JKT01', fingerprint: fp('ours'), port: 47600 });
    a.start();
    expect(mdns.published.map(({ name, ...rest }) => ({ name: /^Loket hub JKT01 [0-9A-F]{8}$/.test(name), ...rest }))).toEqual([
      { name: true, type: HUB_SERVICE_TYPE, port: 47600, txt: { branch: 'JKT01', fp: normalizeFingerprint(fp('ours')) } },
    ]);
    a.stop();
    expect(mdns.published).toEqual([]);
  });
});

describe('hub discovery over real multicast DNS (bonjour-service)', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanup.splice(0)) c();
  });

  it('a PC finds the hub its branch announces, not another branch’s', async (ctx) => {
    const errors: Error[] = [];
    const hubSide = bonjourMdns((e) => errors.push(e));
    const pcSide = bonjourMdns((e) => errors.push(e));
    cleanup.push(
      () => hubSide.destroy(),
      () => pcSide.destroy(),
    );
    // Unique per run: other tests (or another run) on this LAN never match.
    const branch = `T${String(process.pid % 100000).padStart(5, '0')}`;
    const ours = new HubAnnouncer(hubSide, { branchCode: branch, fingerprint: fp(`ours-${branch}`), port: 47611 });
    const theirs = new HubAnnouncer(hubSide, { branchCode: `U${branch.slice(1)}`, fingerprint: fp(`theirs-${branch}`), port: 47612 });
    ours.start();
    theirs.start();
    cleanup.unshift(
      () => ours.stop(),
      () => theirs.stop(),
    );
    const trusted: DiscoveredHub[] = [];
    const discovery = new HubDiscovery({ mdns: pcSide, branchCode: () => branch, pinned: () => fp(`ours-${branch}`), onTrusted: (h) => trusted.push(h) });
    discovery.start();
    cleanup.unshift(() => discovery.stop());
    const deadline = Date.now() + 8_000;
    while (trusted.length === 0 && Date.now() < deadline && errors.length === 0) await new Promise((r) => setTimeout(r, 100));
    if (trusted.length === 0) {
      const reason = errors[0]?.message ?? 'no answer within 8 s';
      console.warn(`multicast DNS is unavailable here (${reason}): the real mDNS test is skipped; the logic tests above still ran`);
      ctx.skip();
      return;
    }
    expect(trusted[0]).toMatchObject({ port: 47611, fingerprint: fp(`ours-${branch}`), trusted: true });
    await new Promise((r) => setTimeout(r, 300)); // the other branch's answer has had time to arrive too
    expect(discovery.list().map((h) => h.port)).toEqual([47611]);
  });
});
