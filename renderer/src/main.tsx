import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { AppProvider } from './app/AppContext';
import { App } from './app/App';
import { WaitingRoomDisplay } from './screens/display/WaitingRoomDisplay';
import './i18n';
import './styles/app.css';

// zod probes for `new Function` to speed up parsing; the CSP forbids eval, so tell it not to try
// (otherwise every start logs a CSP violation).
z.config({ jitless: true });

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    {/* The waiting-room display (second monitor) needs no sign-in and shows no personal data. */}
    {window.location.hash === '#/display' ? (
      <WaitingRoomDisplay />
    ) : (
      <AppProvider>
        <App />
      </AppProvider>
    )}
  </StrictMode>,
);
