/** Placeholder until the role screen lands (issue 7). */
export function ReviewScreen() {
  return <div className="page" data-screen="ReviewScreen" />;
}
