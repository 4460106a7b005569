// Signing a hand-carry file in main (issue 18 pt 7): main keeps the device key, so the renderer
// sends it the text the signature covers (./handcarry.ts writes the file around it).
import { HANDCARRY_SIGN_PART_CHARS } from '@shared/ipc/contract';
import { loket } from '../bridge';
import type { RemoteSigner } from './handcarry';

/** Signs in main: the text goes in parts (the browser bridge's 64 KB), the last part answers the signature. */
export function mainSigner(publicKey: RemoteSigner['publicKey'], recordCount: number): RemoteSigner {
  return {
    publicKey,
    sign: async (text) => {
      const exportId = crypto.randomUUID();
      for (let at = 0; ; at += HANDCARRY_SIGN_PART_CHARS) {
        const part = text.slice(at, at + HANDCARRY_SIGN_PART_CHARS);
        const last = at + HANDCARRY_SIGN_PART_CHARS >= text.length;
        const r = await loket().handcarry.sign({ exportId, part, last, recordCount });
        if (!r.ok) throw new Error(r.error.message);
        if (last) {
          if (r.value.signature === null) throw new Error('main did not sign the file');
          return r.value.signature;
        }
      }
    },
  };
}
