/** Placeholder until the role screen lands (issue 7). */
export function DashboardScreen() {
  return <div className="page" data-screen="DashboardScreen" />;
}
