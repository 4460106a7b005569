export interface Location { start: { line: number; column: number }; end: { line: number; column: number } }
export interface ReportMutant { id: string; mutatorName: string; replacement?: string; status: string; location: Location }
export interface Report { files: Record<string, { source: string; mutants: ReportMutant[] }> }
export interface Equivalent { file: string; line?: number; column?: number; mutator: string; original: string; replacement: string; reason: string }
export interface Described { line: number; column: number; mutator: string; original: string; replacement: string; status: string }
export interface FileScore {
  file: string;
  mutants: number;
  killed: number;
  survived: number;
  noCoverage: number;
  timeout: number;
  compileOrRuntimeErrors: number;
  ignored: number;
  equivalent: number;
  rawScore: number;
  score: number;
  survivors: Described[];
  equivalents: Array<Described & { reason: string }>;
  measuredAt: string;
  tests: string;
}
export function originalText(source: string, location: Location): string;
export function scoreFiles(report: Report, equivalents: Equivalent[], meta: { measuredAt: string; tests: string }): { files: FileScore[]; stale: Equivalent[] };
export function mergeResults(previous: FileScore[], measured: FileScore[]): FileScore[];
export function runDirName(run: string | undefined, mutate: string | undefined): string;
