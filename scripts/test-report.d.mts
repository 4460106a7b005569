/** Vitest's JSON report, the parts read here. */
export interface VitestJsonReport {
  testResults?: {
    name: string;
    status: string;
    message?: string;
    assertionResults?: { title: string; ancestorTitles?: string[]; status: string; failureMessages?: string[] }[];
  }[];
}
export interface TestReportLines {
  failed: string[];
  flaky: string[];
}
export function testReportLines(report: VitestJsonReport, root?: string): TestReportLines;
export function testReportLinesAt(path: string, root?: string): TestReportLines;
/** Playwright's JSON report, the parts read here. */
export interface PlaywrightJsonSuite {
  title: string;
  specs?: { title: string; file: string; line: number; tests?: { status: string; results?: { status?: string; error?: { message?: string }; errors?: { message: string }[] }[] }[] }[];
  suites?: PlaywrightJsonSuite[];
}
export interface PlaywrightJsonReport {
  config?: { rootDir?: string };
  suites?: PlaywrightJsonSuite[];
  errors?: { message?: string }[];
}
export interface E2eReportLines {
  failed: { test: string; error: string[] }[];
  flaky: string[];
}
export const E2E_ERROR_LINES: number;
export function e2eReportLines(report: PlaywrightJsonReport, root?: string): E2eReportLines;
export function e2eReportLinesAt(path: string, root?: string): E2eReportLines;
