/** Placeholder until the role screen lands (issue 7). */
export function WaitingRoomDisplay() {
  return <div className="page" data-screen="WaitingRoomDisplay" />;
}
