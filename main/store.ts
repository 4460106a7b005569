import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';

/**
 * One JSON document on disk, validated on every read and written atomically (temp file + rename),
 * so a crash mid-write never leaves half a file. A file that fails validation is kept aside as
 * `<name>.corrupt-<time>` and reported, never silently overwritten.
 */
export class JsonFile<S extends z.ZodType> {
  constructor(
    private readonly file: string,
    private readonly schema: S,
    private readonly mode = 0o600,
  ) {}

  read(): z.output<S> | null {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    const parsed = this.schema.safeParse(safeJson(text));
    if (!parsed.success) {
      const aside = `${this.file}.corrupt-${Date.now()}`;
      fs.renameSync(this.file, aside);
      throw new Error(`${path.basename(this.file)} is not valid; kept aside as ${path.basename(aside)}`);
    }
    return parsed.data;
  }

  write(value: z.input<S>): void {
    const checked = this.schema.parse(value);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(checked, null, 2), { mode: this.mode });
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
