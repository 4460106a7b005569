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
