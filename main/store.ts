import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { StateRefused, type StateSeal } from './integrity';

/** A sealed file on disk: the body and its HMAC (main/integrity.ts). */
const Sealed = z.object({ seal: z.string(), body: z.unknown() });

/**
 * One JSON document on disk, validated on every read and written atomically (temp file + rename),
 * so a crash mid-write never leaves half a file. A file that fails validation is kept aside as
 * `<name>.corrupt-<time>` and reported, never silently overwritten.
 * With a `seal` (issue 18) the file carries an HMAC of its body: one that does not match, or that
 * cannot be read, throws `StateRefused` and stays where it is.
 */
export class JsonFile<S extends z.ZodType> {
  constructor(
    private readonly file: string,
    private readonly schema: S,
    private readonly mode = 0o600,
    private readonly seal?: StateSeal,
  ) {}

  read(): z.output<S> | null {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    if (this.seal) return this.readSealed(text, this.seal);
    const parsed = this.schema.safeParse(safeJson(text));
    if (!parsed.success) {
      const aside = `${this.file}.corrupt-${Date.now()}`;
      fs.renameSync(this.file, aside);
      throw new Error(`${path.basename(this.file)} is not valid; kept aside as ${path.basename(aside)}`);
    }
    return parsed.data;
  }

  private readSealed(text: string, seal: StateSeal): z.output<S> {
    const name = path.basename(this.file);
    const raw = safeJson(text);
    const sealed = Sealed.safeParse(raw);
    if (!sealed.success) {
      // A plain file: an install from before the seals, sealed once as it is; after that, an edit.
      const plain = this.schema.safeParse(raw);
      if (!seal.acceptPlain()) throw new StateRefused(name, raw === undefined ? 'corrupt' : 'edited');
      if (!plain.success) throw new StateRefused(name, 'corrupt');
      this.put(plain.data);
      return plain.data;
    }
    // The seal covers the body as it was written (compact JSON; parsing keeps key order).
    if (!seal.check(name, JSON.stringify(sealed.data.body), sealed.data.seal)) throw new StateRefused(name, 'edited');
    const parsed = this.schema.safeParse(sealed.data.body);
    if (!parsed.success) throw new StateRefused(name, 'corrupt');
    return parsed.data;
  }

  write(value: z.input<S>): void {
    this.put(this.schema.parse(value));
  }

  private put(checked: unknown): void {
    const name = path.basename(this.file);
    const content = this.seal ? { seal: this.seal.mac(name, JSON.stringify(checked)), body: checked } : checked;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(content, null, 2), { mode: this.mode });
    fs.renameSync(tmp, this.file);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
