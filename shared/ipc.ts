/** The IPC channel the preload and the main process share. */
export const IPC_CHANNEL = 'ordo:call';
