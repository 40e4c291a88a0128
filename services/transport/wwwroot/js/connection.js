// The /stream/ws connection: binary messages in and out, reconnect with exponential backoff and jitter.

const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 8000;

export class StreamConnection {
  /**
   * @param {string} url the ws:// or wss:// URL of /stream/ws (query included)
   * @param {{onMessage: (buffer: ArrayBuffer) => void, onStatus: (status: {state: string, attempt: number, retryInMs?: number, reason?: string}) => void}} handlers
   */
  constructor(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.socket = null;
    this.attempt = 0;
    this.timer = null;
    this.stopped = false;
    this.reconnects = 0;
  }

  get isOpen() {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  start() {
    this.stopped = false;
    this.open();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.close(1000, 'viewer closed');
  }

  /** Sends a binary message; false when the socket is not open (the caller decides whether that matters). */
  send(buffer) {
    if (!this.isOpen) return false;
    this.socket.send(buffer);
    return true;
  }

  open() {
    this.handlers.onStatus({ state: 'connecting', attempt: this.attempt });
    const socket = new WebSocket(this.url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onopen = () => {
      this.handlers.onStatus({ state: 'open', attempt: this.attempt });
    };
    socket.onmessage = (event) => {
      // The backoff starts over only once the server has actually said something.
      this.attempt = 0;
      if (event.data instanceof ArrayBuffer) this.handlers.onMessage(event.data);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) {
        this.handlers.onStatus({ state: 'closed', attempt: this.attempt, reason: event.reason });
        return;
      }
      // Equal jitter (half fixed, half random): a fleet of viewers that lost the same server does not come back in lockstep.
      const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** this.attempt);
      const delay = Math.round(ceiling / 2 + Math.random() * ceiling / 2);
      this.attempt++;
      this.reconnects++;
      const reason = event.reason || (event.code === 1006 ? 'connection lost' : `closed (${event.code})`);
      this.handlers.onStatus({ state: 'reconnecting', attempt: this.attempt, retryInMs: delay, reason, code: event.code });
      this.timer = setTimeout(() => this.open(), delay);
    };
  }
}
