/**
 * The Electron shell: one locked-down window, the app:// protocol serving the built renderer
 * with a strict CSP, a French menu, and the IPC adapter relaying calls and events between the
 * window and the service worker (a worker_thread holding the services and the database). It
 * keeps what only the main process can have (the window, the protocol, the menu, later
 * `safeStorage`); everything else lives in services that never import Electron.
 */
import { app, BrowserWindow, dialog, Menu, protocol, safeStorage, session, shell, type MenuItemConstructorOptions } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OrdoError } from '../shared/errors';
import { registerIpc, sendEvent } from './ipc';
import { createLogger } from './log';
import { CONTENT_SECURITY_POLICY } from './security';
import { contentTypes } from './host/static';
import { startServiceWorker, type ServiceWorkerClient } from './worker/client';

const log = createLogger('main');
const SCHEME = 'app';
const APP_ORIGIN = `${SCHEME}://ordo`;
const devServerUrl = app.isPackaged ? undefined : process.env['ORDO_DEV_SERVER_URL'];
const rendererRoot = join(app.getAppPath(), 'dist', 'renderer');

protocol.registerSchemesAsPrivileged([
  { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

function originOf(url: string): string | undefined {
  try {
    const { protocol: scheme, host } = new URL(url);
    return `${scheme}//${host}`;
  } catch {
    return undefined;
  }
}

const trustedOrigins = new Set([APP_ORIGIN, ...(devServerUrl === undefined ? [] : [originOf(devServerUrl)])]);

/** Ordo's own pages: app://ordo, or Vite's dev server in development. Compared by origin. */
function isTrustedUrl(url: string): boolean {
  const origin = originOf(url);
  return origin !== undefined && trustedOrigins.has(origin);
}

function openExternally(url: string): void {
  try {
    const { protocol: scheme } = new URL(url);
    if (scheme === 'https:' || scheme === 'mailto:') void shell.openExternal(url);
  } catch {
    // not a URL: ignore
  }
}


function serveRenderer(): void {
  protocol.handle(SCHEME, async (request) => {
    const { host, pathname } = new URL(request.url);
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return new Response('', { status: 400 });
    }
    const relative = normalize(decoded).replace(/^([/\\])+/, '');
    let file = join(rendererRoot, relative === '' ? 'index.html' : relative);
    // Source maps carry the original source: never served.
    if (host !== 'ordo' || !file.startsWith(rendererRoot + sep) || /\.map$/i.test(file)) return new Response('', { status: 404 });
    const body = await readFile(file).catch(async () => {
      file = join(rendererRoot, 'index.html');
      return readFile(file);
    });
    return new Response(body, {
      headers: {
        'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
      },
    });
  });
}

function lockDownSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      openExternally(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (!isTrustedUrl(url)) {
        event.preventDefault();
        openExternally(url);
      }
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

function buildMenu(): void {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin'
      ? [{ label: 'Ordo', submenu: [{ role: 'about', label: 'À propos d’Ordo' }, { type: 'separator' }, { role: 'quit', label: 'Quitter Ordo' }] } satisfies MenuItemConstructorOptions]
      : []),
    {
      label: 'Fichier',
      submenu: [{ role: process.platform === 'darwin' ? 'close' : 'quit', label: process.platform === 'darwin' ? 'Fermer la fenêtre' : 'Quitter' }],
    },
    {
      label: 'Édition',
      submenu: [
        { role: 'undo', label: 'Annuler' },
        { role: 'redo', label: 'Rétablir' },
        { type: 'separator' },
        { role: 'cut', label: 'Couper' },
        { role: 'copy', label: 'Copier' },
        { role: 'paste', label: 'Coller' },
        { role: 'selectAll', label: 'Tout sélectionner' },
      ],
    },
    {
      label: 'Affichage',
      submenu: [
        { role: 'resetZoom', label: 'Taille réelle' },
        { role: 'zoomIn', label: 'Zoom avant' },
        { role: 'zoomOut', label: 'Zoom arrière' },
        { type: 'separator' },
        { role: 'togglefullscreen', label: 'Plein écran' },
        ...(app.isPackaged ? [] : ([{ type: 'separator' }, { role: 'reload', label: 'Recharger' }, { role: 'toggleDevTools', label: 'Outils de développement' }] satisfies MenuItemConstructorOptions[])),
      ],
    },
    { label: 'Fenêtre', submenu: [{ role: 'minimize', label: 'Réduire' }] },
    { label: 'Aide', submenu: [{ label: `Ordo ${app.getVersion()}`, enabled: false }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    title: 'Ordo',
    show: false,
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: true,
      devTools: !app.isPackaged,
    },
  });
  window.once('ready-to-show', () => window.show());
  // A page that refuses to unload (a half-filled form) asks in French before the window goes.
  window.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(window, {
      type: 'question',
      buttons: ['Quitter et perdre la saisie', 'Rester'],
      defaultId: 1,
      cancelId: 1,
      title: 'Saisie non enregistrée',
      message: 'Le formulaire en cours n’est pas enregistré.',
      detail: 'Quitter maintenant perd ce qui a été saisi.',
    });
    if (choice === 0) event.preventDefault();
  });
  void window.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`);
  return window;
}

/**
 * The OS print dialog on a prescription's PDF (the service worker asks over its private port,
 * worker/shell.ts): the file opened in a hidden window of its own session with Chromium's PDF
 * viewer, then `webContents.print`, which shows the system dialog. True when the GP printed.
 */
async function printPdf(file: string): Promise<boolean> {
  const window = new BrowserWindow({
    show: false,
    webPreferences: { partition: 'ordo-print', sandbox: true, contextIsolation: true, nodeIntegration: false, plugins: true, javascript: false },
  });
  try {
    await window.loadURL(pathToFileURL(file).href);
    return await new Promise<boolean>((resolve) => {
      window.webContents.print({ silent: false, printBackground: true }, (printed) => resolve(printed));
    });
  } finally {
    window.destroy();
  }
}

let backend: ServiceWorkerClient | undefined;
let quitting = false;

/** Every pushed event goes to each of Ordo's windows. */
function forwardEvents(client: ServiceWorkerClient): void {
  client.subscribe((event) => {
    for (const window of BrowserWindow.getAllWindows()) sendEvent(window.webContents, event, isTrustedUrl);
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  void app.whenReady().then(async () => {
    const nativeBinding = app.isPackaged ? undefined : process.env['ORDO_SQLITE_BINDING'];
    // ORDO_DATA_DIR lets a test or a second practice run on another folder.
    const dataDir = process.env['ORDO_DATA_DIR'] ?? app.getPath('userData');
    // The signing key sealed by the OS keychain when there is one (else the passphrase, as in the
    // host), and the print dialog: the main process's, over the worker's private port.
    const keychain = safeStorage.isEncryptionAvailable();
    backend = await startServiceWorker({
      dataDir,
      mode: 'electron',
      sqlite: { nativeBinding },
      shell: {
        ...(keychain
          ? {
              seal: (secret: Buffer) => safeStorage.encryptString(secret.toString('base64')),
              open: (sealed: Buffer) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
            }
          : {}),
        print: printPdf,
      },
    });
    forwardEvents(backend);
    lockDownSessions();
    serveRenderer();
    registerIpc(backend, isTrustedUrl);
    buildMenu();
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  }).catch((error: unknown) => {
    log.error('start-up failed', { error: error instanceof Error ? error.message : String(error) });
    const message =
      error instanceof OrdoError && error.code !== 'INTERNAL' && error.code !== 'SERVICE_UNAVAILABLE'
        ? error.message
        : 'La base de données n’a pas pu être ouverte. Vérifiez le dossier des données d’Ordo, ou restaurez une sauvegarde.';
    dialog.showErrorBox('Ordo ne peut pas démarrer', message);
    app.exit(1);
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // The service worker gets a few seconds to stop cleanly: a running job goes back to the queue.
  app.on('before-quit', (event) => {
    if (quitting || backend === undefined) return;
    event.preventDefault();
    quitting = true;
    const closing = backend;
    backend = undefined;
    void closing.close().finally(() => app.quit());
  });
}
