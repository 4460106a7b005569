// `npm start`: build, then launch the Electron app; where the Electron binary is missing, say so in
// one line and serve the same app in browser mode instead.
import { spawn, spawnSync } from 'node:child_process';
import { electronBinary } from './electron-binary.mjs';
import { ensureSupportedNode } from './supported-node.mjs';

ensureSupportedNode();

const build = spawnSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) {
  console.error('Build failed; see the errors above.');
  process.exit(build.status ?? 1);
}

const electron = electronBinary();
const child =
  'path' in electron
    ? spawn(electron.path, ['.'], { stdio: 'inherit' })
    : (console.log(`Electron not available here (${electron.missing}); starting browser mode instead.`),
      spawn(process.execPath, ['out/main/web-server.js'], { stdio: 'inherit' }));

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
