export const NODE_LTS: { version: string; package: string; integrity: string };
export function atLeast(a: string, b: string): boolean;
export function supportedNode(min: string): string;
export declare const NODE_MIN: string;
export declare function ensureSupportedNode(min?: string): void;
