/** Placeholder until the role screen lands (issue 7). */
export function Workbench() {
  return <div className="page" data-screen="Workbench" />;
}
