import { useEffect, useRef } from 'react';
import { listenForScans, type Scan } from './scanner';

/**
 * Issue 21: calls `onScan` for each keyboard-wedge scan while the screen is shown (see
 * listenForScans: the scan is taken out of whatever field had the focus, typing is left alone).
 * The latest `onScan` is used without listening again on each render.
 */
export function useScans(onScan: (scan: Scan) => void): void {
  const latest = useRef(onScan);
  latest.current = onScan;
  useEffect(() => listenForScans(document, (scan) => latest.current(scan)), []);
}
