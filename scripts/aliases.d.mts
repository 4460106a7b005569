export declare const aliasFolders: Record<string, string>;
export declare function aliasesAt(root: string): Record<string, string>;
