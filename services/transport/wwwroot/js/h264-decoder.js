// H.264 through WebCodecs: Annex-B access units in (no `description`, so the decoder reads SPS/PPS in-band),
// VideoFrames drawn onto a canvas and closed at once (a held frame stalls the decoder's pool).

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
   */
  constructor(canvas, onFrame, onError, onNeedKeyframe = () => {}) {
    this.canvas = canvas;
    this.context = canvas.getContext('2d', { alpha: false, desynchronized: true });
    this.onFrame = onFrame;
    this.onError = onError;
    this.onNeedKeyframe = onNeedKeyframe;
    this.lastKeyframeAsk = -Infinity;
    this.decoder = null;
    this.codec = null;
    this.waitingForKeyframe = true;
    this.pending = new Map(); // chunk timestamp -> {frameId, captureTsUs}
    this.dropped = 0;
    this.errors = 0;
  }

  /** Decodes one access unit; delta frames before the first keyframe (or after an error) are dropped. */
  decode(frame) {
    // The header flag is the hint; the IDR slice is the proof (scanned only when it matters).
    const keyframe = (frame.keyframe || this.waitingForKeyframe) && hasIdr(frame.payload);
    if (keyframe) {
      const codec = codecFromAnnexB(frame.payload) ?? this.codec ?? FALLBACK_CODEC;
      if (!this.decoder || this.decoder.state === 'closed' || codec !== this.codec) this.configure(codec);
      this.waitingForKeyframe = false;
    } else if (this.waitingForKeyframe) {
      this.dropped++;
      // Intra refresh never sends an IDR by itself: ask for one rather than wait.
      const now = performance.now();
      if (now - this.lastKeyframeAsk >= KEYFRAME_ASK_INTERVAL_MS) {
        this.lastKeyframeAsk = now;
        this.onNeedKeyframe();
      }
      return;
    }
    // No dropping here when decoding falls behind: a dropped delta frame costs a keyframe round trip (intra refresh,
    // no periodic IDR), and the transport already skips a slow client's frames up to a keyframe it requests.
    // The chunk timestamp is the frame id: unique and increasing, so the output maps back to its capture time.
    this.pending.set(frame.frameId, { frameId: frame.frameId, captureTsUs: frame.captureTsUs });
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
    this.decoder = new VideoDecoder({
      output: (videoFrame) => this.draw(videoFrame),
      error: (error) => this.fail(error),
    });
    // No `description`: the stream is Annex-B with SPS/PPS in every keyframe.
    this.decoder.configure({ codec, optimizeForLatency: true, hardwareAcceleration: 'no-preference' });
  }

  draw(videoFrame) {
    try {
      const width = videoFrame.displayWidth;
      const height = videoFrame.displayHeight;
      if (this.canvas.width !== width || this.canvas.height !== height) {
        this.canvas.width = width;
        this.canvas.height = height;
      }
      this.context.drawImage(videoFrame, 0, 0, width, height);
      const meta = this.pending.get(videoFrame.timestamp);
      this.pending.delete(videoFrame.timestamp);
      // Entries of frames the decoder never returned (dropped after an error) would otherwise pile up.
      for (const key of this.pending.keys()) if (key < videoFrame.timestamp) this.pending.delete(key); else break;
      this.onFrame({ frameId: videoFrame.timestamp, captureTsUs: meta?.captureTsUs ?? 0, width, height });
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
  }
}
