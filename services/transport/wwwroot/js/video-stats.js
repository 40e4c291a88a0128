// Frame rate and capture-to-display latency of the frames this page drew.

const FPS_WINDOW_MS = 1000;

/** Wall clock in Unix microseconds, finer than Date.now() (same clock as the server's capture_ts_us on one machine). */
export function nowUs() {
  return (performance.timeOrigin + performance.now()) * 1000;
}

export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export class VideoStats {
  /** @param {number} window how many recent latencies the percentiles cover */
  constructor(window = 90, keep = 20000) {
    this.window = window;
    this.keep = keep;
    this.framesDrawn = 0;
    this.lastFrameAtMs = null;
    this.lastLatencyMs = null;
    this.lastCaptureTsUs = 0; // the capture time of the frame on screen (0: none with one yet)
    this.recentLatencies = [];
    this.samples = []; // {frameId, captureTsUs, displayedUs}: every frame with a capture time, for the bench
    this.frameTimes = [];
    this.width = 0;
    this.height = 0;
  }

  record({ frameId, captureTsUs, width, height }) {
    const displayedUs = nowUs();
    const nowMs = displayedUs / 1000;
    this.framesDrawn++;
    this.lastFrameAtMs = nowMs;
    this.width = width;
    this.height = height;
    this.frameTimes.push(nowMs);
    while (this.frameTimes.length && this.frameTimes[0] < nowMs - FPS_WINDOW_MS) this.frameTimes.shift();
    this.lastCaptureTsUs = captureTsUs;
    if (captureTsUs > 0) {
      this.lastLatencyMs = (displayedUs - captureTsUs) / 1000;
      this.recentLatencies.push(this.lastLatencyMs);
      if (this.recentLatencies.length > this.window) this.recentLatencies.shift();
      this.samples.push({ frameId, captureTsUs, displayedUs });
      if (this.samples.length > this.keep) this.samples.splice(0, this.samples.length - this.keep);
    }
  }

  /** Frames drawn in the last second (0 once frames stop). */
  fps(nowMs = nowUs() / 1000) {
    return this.frameTimes.filter((t) => t >= nowMs - FPS_WINDOW_MS).length;
  }

  /** Milliseconds since the last frame was drawn; Infinity before the first. */
  ageMs(nowMs = nowUs() / 1000) {
    return this.lastFrameAtMs === null ? Infinity : nowMs - this.lastFrameAtMs;
  }

  latencyP50Ms() {
    return percentile(this.recentLatencies, 50);
  }

  latencyP95Ms() {
    return percentile(this.recentLatencies, 95);
  }
}
