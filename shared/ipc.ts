/** The IPC channels the preload and the main process share. */
export const IPC_CHANNEL = 'ordo:call';
/** Pushed events, main → window: (name, payload). */
export const IPC_EVENT_CHANNEL = 'ordo:event';
