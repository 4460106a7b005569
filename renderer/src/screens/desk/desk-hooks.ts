import { useEffect, useState } from 'react';
import { z } from 'zod';
import type { BranchProfile } from '@shared/branch/schema';
import { SERVICES, type Actor, type Service } from '@shared/cases/schema';
import { loket } from '../../bridge';
import { createNikHasher, type NikHasher } from '../../data/nik-hash';

/** This PC's desk settings, remembered on this PC (not per staff member: the counter is a place). */
const COUNTER_KEY = 'loket.desk.counter';
const SERVICES_KEY = 'loket.desk.services';

const StoredServices = z.array(z.enum(SERVICES)).min(1);

function readStorage(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Storage unavailable: the choice lasts for this window only.
  }
}

export function useDeskSettings(): {
  counter: string | null;
  setCounter: (c: string) => void;
  services: Service[];
  setServices: (s: Service[]) => void;
} {
  const [counter, setCounterState] = useState<string | null>(() => {
    const v = readStorage(COUNTER_KEY);
    return v && /^[1-9]\d?$/.test(v) ? v : null;
  });
  const [services, setServicesState] = useState<Service[]>(() => {
    try {
      const parsed = StoredServices.safeParse(JSON.parse(readStorage(SERVICES_KEY) ?? 'null'));
      return parsed.success ? parsed.data : [...SERVICES];
    } catch {
      return [...SERVICES];
    }
  });
  return {
    counter,
    setCounter: (c) => {
      writeStorage(COUNTER_KEY, c);
      setCounterState(c);
    },
    services,
    setServices: (s) => {
      writeStorage(SERVICES_KEY, JSON.stringify(s));
      setServicesState(s);
    },
  };
}

/** The branch profile (published hours, counters) from main. */
export function useBranchProfile(): BranchProfile | null {
  const [branch, setBranch] = useState<BranchProfile | null>(null);
  useEffect(() => {
    let live = true;
    void loket()
      .branch.get()
      .then((r) => {
        if (live && r.ok) setBranch(r.value);
      });
    return () => {
      live = false;
    };
  }, []);
  return branch;
}

/** The same keyed NIK hash the ticket and case stores use (derived from the database key). */
export function useNikHasher(): NikHasher | null {
  const [hasher, setHasher] = useState<NikHasher | null>(null);
  useEffect(() => {
    let live = true;
    void (async () => {
      const key = await loket().secrets.dbKey();
      if (!key.ok) return;
      const h = await createNikHasher(key.value); // the same key as the data layer's hasher
      if (live) setHasher(() => h);
    })();
    return () => {
      live = false;
    };
  }, []);
  return hasher;
}

export type DeskActor = Actor;
