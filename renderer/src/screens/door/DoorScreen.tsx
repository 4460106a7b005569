/** Placeholder until the role screen lands (issue 7). */
export function DoorScreen() {
  return <div className="page" data-screen="DoorScreen" />;
}
