/**
 * The Electron shell's security decisions, checked here with a stand-in `electron` module (the
 * real binary is absent on this machine; test/e2e/electron.test.ts runs the real app where it
 * exists): window options, navigation and window.open denied, permissions denied, external links
 * limited to https/mailto, IPC sender checks, and the preload's single exposed function.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callNames } from '../../shared/contract';
import { eventNames } from '../../shared/events';
import { tempDir } from '../support/tmp';

type Handler = (...args: unknown[]) => unknown;

interface Recorded {
  windows: { options: Record<string, unknown>; url?: string }[];
  appHandlers: Map<string, Handler>;
  contentsHandlers: Map<string, Handler>;
  windowOpenHandler?: Handler;
  permissionRequest?: Handler;
  permissionCheck?: Handler;
  protocolHandler?: Handler;
  ipcHandler?: Handler;
  ipcRendererListener?: Handler;
  sent: unknown[][];
  opened: string[];
  exposed: Map<string, unknown>;
  invoked: unknown[][];
  menu: unknown;
  ready: Promise<void>;
}

const recorded = vi.hoisted(
  (): Recorded => ({
    windows: [],
    appHandlers: new Map(),
    contentsHandlers: new Map(),
    sent: [],
    opened: [],
    exposed: new Map(),
    invoked: [],
    menu: null,
    ready: Promise.resolve(),
  }),
);

vi.mock('electron', () => {
  const all: BrowserWindow[] = [];
  class BrowserWindow {
    static getAllWindows = () => all;
    webContents = {
      on: () => undefined,
      isDestroyed: () => false,
      getURL: () => recorded.windows[all.indexOf(this)]?.url ?? '',
      send: (...args: unknown[]) => recorded.sent.push(args),
    };
    constructor(options: Record<string, unknown>) {
      recorded.windows.push({ options });
      all.push(this);
    }
    once() {}
    loadURL(url: string) {
      recorded.windows.at(-1)!.url = url;
      return Promise.resolve();
    }
  }
  let resolveReady: () => void = () => undefined;
  recorded.ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const app = {
    isPackaged: true,
    getAppPath: () => process.env['TEST_APP_PATH'] ?? '/app',
    getPath: () => '/unused',
    getVersion: () => '0.1.0',
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve().then(() => setTimeout(resolveReady, 0)),
    on: (event: string, handler: Handler) => recorded.appHandlers.set(event, handler),
    quit: () => undefined,
    exit: () => undefined,
  };
  return {
    app,
    BrowserWindow,
    dialog: { showErrorBox: () => undefined },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => (recorded.menu = m) },
    protocol: { registerSchemesAsPrivileged: () => undefined, handle: (_s: string, h: Handler) => (recorded.protocolHandler = h) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: Handler) => (recorded.permissionRequest = h),
        setPermissionCheckHandler: (h: Handler) => (recorded.permissionCheck = h),
      },
    },
    // The OS keychain, as a stand-in: the signing key is sealed by it over the worker's private port.
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (text: string) => Buffer.from(`sealed:${text}`),
      decryptString: (sealed: Buffer) => sealed.toString().slice('sealed:'.length),
    },
    shell: { openExternal: (url: string) => (recorded.opened.push(url), Promise.resolve()) },
    ipcMain: { handle: (_c: string, h: Handler) => (recorded.ipcHandler = h), removeHandler: () => undefined },
    ipcRenderer: {
      invoke: (...args: unknown[]) => (recorded.invoked.push(args), Promise.resolve({ ok: true, value: null })),
      on: (_channel: string, listener: Handler) => (recorded.ipcRendererListener = listener),
    },
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => recorded.exposed.set(key, api) },
  };
});

const data = tempDir('ordo-shell-');
const appDir = tempDir('ordo-shell-app-');

beforeAll(async () => {
  process.env['ORDO_DATA_DIR'] = data.dir;
  process.env['TEST_APP_PATH'] = appDir.dir;
  mkdirSync(join(appDir.dir, 'dist', 'renderer'), { recursive: true });
  writeFileSync(join(appDir.dir, 'dist', 'renderer', 'index.html'), '<title>Ordo</title>');
  process.env['ORDO_LOG'] = 'silent';
  await import('../../electron/main');
  await recorded.ready;
  // The window opens once the service worker (a worker_thread) has answered that it is ready.
  for (let i = 0; i < 200 && recorded.windows.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
}, 20_000);

afterAll(async () => {
  // Quitting stops the service worker cleanly first.
  let prevented = false;
  recorded.appHandlers.get('before-quit')?.({ preventDefault: () => (prevented = true) });
  expect(prevented).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 500));
  data.remove();
  appDir.remove();
});

describe('Electron main process', () => {
  it('opens one window sandboxed, isolated, without Node, on app://', () => {
    expect(recorded.windows).toHaveLength(1);
    const { options, url } = recorded.windows[0]!;
    expect(options['webPreferences']).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, webviewTag: false, devTools: false });
    expect(url).toBe('app://ordo/index.html');
  });

  it('denies every permission request', () => {
    let granted: boolean | undefined;
    recorded.permissionRequest!({}, 'media', (answer: boolean) => (granted = answer));
    expect(granted).toBe(false);
    expect(recorded.permissionCheck!()).toBe(false);
  });

  it('denies new windows and foreign navigation; opens only https and mailto outside', () => {
    const created = recorded.appHandlers.get('web-contents-created')!;
    const contents = {
      setWindowOpenHandler: (h: Handler) => (recorded.windowOpenHandler = h),
      on: (event: string, h: Handler) => recorded.contentsHandlers.set(event, h),
    };
    created({}, contents);
    for (const url of ['https://ansm.sante.fr', 'mailto:a@b.fr', 'http://example.org', 'file:///etc/passwd', 'javascript:alert(1)']) {
      expect(recorded.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(recorded.opened).toEqual(['https://ansm.sante.fr', 'mailto:a@b.fr']);

    const navigate = recorded.contentsHandlers.get('will-navigate')!;
    const event = { prevented: false, preventDefault() { this.prevented = true; } };
    navigate(event, 'https://evil.example');
    expect(event.prevented).toBe(true);
    const inside = { prevented: false, preventDefault() { this.prevented = true; } };
    navigate(inside, 'app://ordo/index.html#/patients');
    expect(inside.prevented).toBe(false);
    const lookalike = { prevented: false, preventDefault() { this.prevented = true; } };
    navigate(lookalike, 'app://ordo.evil/index.html');
    expect(lookalike.prevented).toBe(true);
    const webview = { prevented: false, preventDefault() { this.prevented = true; } };
    recorded.contentsHandlers.get('will-attach-webview')!(webview);
    expect(webview.prevented).toBe(true);
  });

  it('serves the renderer with the strict CSP and refuses paths outside it', async () => {
    const index = (await recorded.protocolHandler!({ url: 'app://ordo/index.html' })) as Response;
    expect(index.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await index.text()).toBe('<title>Ordo</title>');
    const outside = (await recorded.protocolHandler!({ url: 'app://ordo/..%2F..%2F..%2F..%2Fetc%2Fpasswd' })) as Response;
    expect(await outside.text()).toBe('<title>Ordo</title>');
    const other = (await recorded.protocolHandler!({ url: 'app://evil/index.html' })) as Response;
    expect(other.status).toBe(404);
    const malformed = (await recorded.protocolHandler!({ url: 'app://ordo/%E0%A4%A' })) as Response;
    expect(malformed.status).toBe(400);
  });

  it('has a French menu', () => {
    const labels = (recorded.menu as { label: string }[]).map((m) => m.label);
    expect(labels).toEqual(expect.arrayContaining(['Fichier', 'Édition', 'Affichage', 'Fenêtre', 'Aide']));
  });

  it('answers IPC only from its own top frame', async () => {
    const call = (url: string, parent: unknown = null) => recorded.ipcHandler!({ senderFrame: { url, parent } }, 'app.info', {});
    expect(await call('app://ordo/index.html')).toMatchObject({ ok: true, value: { mode: 'electron', dataDir: data.dir } });
    expect(await call('https://evil.example/')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('app://ordo/index.html', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await recorded.ipcHandler!({ senderFrame: null }, 'app.info', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await recorded.ipcHandler!({ senderFrame: { url: 'app://ordo/index.html', parent: null } }, 'profile.save', { rpps: 1 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });

  it("pushes the service worker's events to its own windows", async () => {
    const created = (await recorded.ipcHandler!({ senderFrame: { url: 'app://ordo/index.html', parent: null } }, 'patients.create', {
      patient: { birthName: 'Lefèvre', firstNames: 'Hélène', sex: 'F', birthDate: '14/03/1980' },
    })) as { ok: boolean; value: { id: number } };
    expect(created.ok).toBe(true);
    for (let i = 0; i < 50 && recorded.sent.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(recorded.sent).toContainEqual(['ordo:event', 'patients.changed', { ids: [created.value.id], count: 1 }]);
  });
});

describe('preload', () => {
  it('exposes only window.ordo.call and window.ordo.on, for contract names only', async () => {
    (globalThis as Record<string, unknown>)['__ORDO_CALL_NAMES__'] = callNames;
    (globalThis as Record<string, unknown>)['__ORDO_EVENT_NAMES__'] = eventNames;
    await import('../../electron/preload');
    expect([...recorded.exposed.keys()]).toEqual(['ordo']);
    const api = recorded.exposed.get('ordo') as {
      call: (name: unknown, input: unknown) => Promise<unknown>;
      on: (name: unknown, callback: unknown) => () => void;
    };
    expect(Object.keys(api)).toEqual(['call', 'on']);

    const received: unknown[] = [];
    const off = api.on('patients.changed', (payload: unknown) => received.push(payload));
    expect(api.on('fs.watch', () => undefined)).toBeTypeOf('function');
    expect(api.on('patients.changed', 'not a function')).toBeTypeOf('function');
    recorded.ipcRendererListener!({}, 'patients.changed', { ids: [1], count: 1 });
    recorded.ipcRendererListener!({}, 'fs.watch', { secret: true });
    off();
    recorded.ipcRendererListener!({}, 'patients.changed', { ids: [2], count: 1 });
    expect(received).toEqual([{ ids: [1], count: 1 }]);

    expect(await api.call('app.info', {})).toEqual({ ok: true, value: null });
    expect(recorded.invoked).toEqual([['ordo:call', 'app.info', {}]]);
    expect(await api.call('fs.readFile', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } });
    expect(await api.call({ toString: () => 'app.info' }, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } });
    expect(recorded.invoked).toHaveLength(1);
  });
});
