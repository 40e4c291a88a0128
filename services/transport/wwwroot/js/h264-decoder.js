// H.264 through WebCodecs: Annex-B access units in (no `description`, so the decoder reads SPS/PPS in-band),
// VideoFrames drawn onto a canvas, the newest one per display refresh, and closed at once (a held frame stalls the
// decoder's pool). Latency is bounded: when decoding falls behind by more than `maxLagMs`, the backlog is thrown
// away and decoding restarts at the next keyframe, which is asked for (fewer frames shown beats late frames shown).

const NAL_IDR = 5;
const NAL_SPS = 7;
const FALLBACK_CODEC = 'avc1.42E01F'; // constrained baseline, level 3.1: what the live profile produces
const KEYFRAME_ASK_INTERVAL_MS = 1000; // the transport and encoder throttle too; this keeps the page from asking per frame

/** Yields [nalType, offset of the NAL header byte] for each NAL unit of an Annex-B buffer. */
export function* nalUnits(bytes) {
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 0 && bytes[i + 1] === 0) {
      if (bytes[i + 2] === 1) {
        yield [bytes[i + 3] & 0x1f, i + 3];
        i += 2;
      } else if (bytes[i + 2] === 0 && bytes[i + 3] === 1 && i + 4 < bytes.length) {
        yield [bytes[i + 4] & 0x1f, i + 4];
        i += 3;
      }
    }
  }
}

/** The RFC 6381 codec string (avc1.PPCCLL) from the first SPS of an access unit, or null without one. */
export function codecFromAnnexB(bytes) {
  for (const [type, at] of nalUnits(bytes)) {
    if (type === NAL_SPS && at + 3 < bytes.length) {
      const hex = (b) => b.toString(16).padStart(2, '0').toUpperCase();
      return `avc1.${hex(bytes[at + 1])}${hex(bytes[at + 2])}${hex(bytes[at + 3])}`;
    }
  }
  return null;
}

/** True when the access unit holds an IDR slice (the header flag says so too; this guards against a wrong flag). */
export function hasIdr(bytes) {
  for (const [type] of nalUnits(bytes)) if (type === NAL_IDR) return true;
  return false;
}

export function isH264Supported() {
  return typeof VideoDecoder !== 'undefined' && typeof EncodedVideoChunk !== 'undefined';
}

export class H264Decoder {
  /**
   * @param {HTMLCanvasElement} canvas where frames are drawn
   * @param {(info: {frameId: number, captureTsUs: number, width: number, height: number}) => void} onFrame after each draw
   * @param {(message: string) => void} onError on a decode error (the decoder resets and waits for a keyframe)
   * @param {() => void} onNeedKeyframe while delta frames are dropped for want of a keyframe (at most once a second)
   * @param {number} maxLagMs how long the oldest frame may wait in the decoder before the backlog is dropped
   */
  constructor(canvas, onFrame, onError, onNeedKeyframe = () => {}, maxLagMs = 100) {
    this.canvas = canvas;
    this.context = canvas.getContext('2d', { alpha: false, desynchronized: true });
    this.onFrame = onFrame;
    this.onError = onError;
    this.onNeedKeyframe = onNeedKeyframe;
    this.lastKeyframeAsk = -Infinity;
    this.decoder = null;
    this.codec = null;
    this.waitingForKeyframe = true;
    this.maxLagMs = maxLagMs;
    this.pending = new Map(); // chunk timestamp -> {frameId, captureTsUs, arrivedAtMs}, oldest first
    this.next = null; // the newest decoded VideoFrame, drawn at the next display refresh
    this.drawScheduled = false;
    this.shownSinceStart = false;
    this.dropped = 0; // every frame not drawn: waiting for a keyframe, thrown away behind, or superseded
    this.lagDrops = 0; // times the backlog was thrown away
    this.errors = 0;
  }

  /** Milliseconds the oldest frame handed to the decoder has waited for its output (0 when none waits). */
  lagMs(now = performance.now()) {
    for (const meta of this.pending.values()) return now - meta.arrivedAtMs;
    return 0;
  }

  /** Decodes one access unit; delta frames before the first keyframe (or after an error) are dropped. */
  decode(frame) {
    const now = performance.now();
    // Behind: the oldest frame handed to the decoder still waits for its picture after the bound. Only the decoder's
    // backlog counts (frames that arrive late over the network are not made earlier by dropping), and only once the
    // current start has shown a frame: a machine that needs longer than the bound for one keyframe still shows it.
    const behind = this.decoder?.state === 'configured' && this.shownSinceStart && this.lagMs(now) > this.maxLagMs;
    // The header flag is the hint; the IDR slice is the proof (scanned only when it matters).
    const keyframe = (frame.keyframe || this.waitingForKeyframe || behind) && hasIdr(frame.payload);
    if (behind) {
      // Drop the backlog: a keyframe starts afresh; deltas wait for one.
      this.dropped += this.pending.size;
      this.lagDrops++;
      this.decoder.reset();
      this.pending.clear();
      this.waitingForKeyframe = true;
    }
    if (keyframe) {
      const codec = codecFromAnnexB(frame.payload) ?? this.codec ?? FALLBACK_CODEC;
      if (!this.decoder || this.decoder.state !== 'configured' || codec !== this.codec) this.configure(codec);
      this.waitingForKeyframe = false;
    } else if (this.waitingForKeyframe) {
      this.dropped++;
      // Intra refresh never sends an IDR by itself: ask for one rather than wait.
      if (now - this.lastKeyframeAsk >= KEYFRAME_ASK_INTERVAL_MS) {
        this.lastKeyframeAsk = now;
        this.onNeedKeyframe();
      }
      return;
    }
    // The chunk timestamp is the frame id: unique and increasing, so the output maps back to its capture time.
    this.pending.set(frame.frameId, { frameId: frame.frameId, captureTsUs: frame.captureTsUs, arrivedAtMs: now });
    try {
      this.decoder.decode(new EncodedVideoChunk({
        type: keyframe ? 'key' : 'delta',
        timestamp: frame.frameId,
        data: frame.payload,
      }));
    } catch (error) {
      this.fail(error);
    }
  }

  configure(codec) {
    this.close();
    this.codec = codec;
    this.shownSinceStart = false;
    this.decoder = new VideoDecoder({
      output: (videoFrame) => this.output(videoFrame),
      error: (error) => this.fail(error),
    });
    // No `description`: the stream is Annex-B with SPS/PPS in every keyframe.
    this.decoder.configure({ codec, optimizeForLatency: true, hardwareAcceleration: 'no-preference' });
  }

  /** A decoded frame: kept as the one to draw at the next display refresh (a newer one replaces it undrawn). */
  output(videoFrame) {
    this.shownSinceStart = true;
    const meta = this.pending.get(videoFrame.timestamp);
    // Entries of frames the decoder never returned (dropped after an error) would otherwise pile up.
    for (const key of this.pending.keys()) if (key <= videoFrame.timestamp) this.pending.delete(key); else break;
    if (this.next) {
      this.next.frame.close();
      this.dropped++;
    }
    this.next = { frame: videoFrame, captureTsUs: meta?.captureTsUs ?? 0 };
    if (!this.drawScheduled) {
      this.drawScheduled = true;
      requestAnimationFrame(() => this.draw());
    }
  }

  draw() {
    this.drawScheduled = false;
    const next = this.next;
    this.next = null;
    if (!next) return;
    const videoFrame = next.frame;
    try {
      const width = videoFrame.displayWidth;
      const height = videoFrame.displayHeight;
      if (this.canvas.width !== width || this.canvas.height !== height) {
        this.canvas.width = width;
        this.canvas.height = height;
      }
      this.context.drawImage(videoFrame, 0, 0, width, height);
      this.onFrame({ frameId: videoFrame.timestamp, captureTsUs: next.captureTsUs, width, height });
    } finally {
      videoFrame.close();
    }
  }

  fail(error) {
    this.errors++;
    this.close();
    this.waitingForKeyframe = true;
    this.onError(`H.264 decode error: ${error?.message ?? error}; waiting for the next keyframe`);
  }

  close() {
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
    this.decoder = null;
    this.pending.clear();
    this.next?.frame.close();
    this.next = null;
  }
}
