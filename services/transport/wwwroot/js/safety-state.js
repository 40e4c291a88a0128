// The canonical safety state from safety.state: the newest state_id wins, an older or repeated one is ignored.

export const Modes = Object.freeze(['ARMED', 'HOLD', 'ESTOP']);

export class SafetyState {
  constructor() {
    this.current = null; // {state_id, mode, reason, since_ms, sources}
    this.receivedAtMs = null;
    this.ignored = 0;
  }

  /** Applies one safety.state message; returns true when it became the current state. */
  apply(message) {
    if (!message || typeof message.state_id !== 'number' || !Modes.includes(message.mode)) {
      this.ignored++;
      return false;
    }
    if (this.current && message.state_id < this.current.state_id) {
      this.ignored++;
      return false;
    }
    this.receivedAtMs = Date.now(); // the authority repeats its state at 2 Hz: a repeat is its heartbeat
    if (this.current && message.state_id === this.current.state_id) return false;
    this.current = message;
    return true;
  }

  get mode() {
    return this.current?.mode ?? 'UNKNOWN';
  }

  get stateId() {
    return this.current?.state_id ?? 0;
  }

  /** Sources whose gate is active now (their event holds the mode above ARMED). */
  get activeSources() {
    return (this.current?.sources ?? []).filter((s) => s.active);
  }
}
