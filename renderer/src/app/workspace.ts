import { createContext, useContext } from 'react';

/**
 * False while the lock screen covers the workspace (which stays mounted underneath): global
 * keyboard shortcuts and announcements must not act on a locked desk.
 */
export const WorkspaceActive = createContext(true);

export function useWorkspaceActive(): boolean {
  return useContext(WorkspaceActive);
}
