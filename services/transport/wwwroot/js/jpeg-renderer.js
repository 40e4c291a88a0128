// JPEG frames (the encoder's fallback): Blob -> createImageBitmap -> the same canvas as H.264.

export class JpegRenderer {
  /**
   * @param {HTMLCanvasElement} canvas where frames are drawn
   * @param {(info: {frameId: number, captureTsUs: number, width: number, height: number}) => void} onFrame after each draw
   * @param {(message: string) => void} onError when a JPEG cannot be decoded (the next one is tried as usual)
   */
  constructor(canvas, onFrame, onError) {
    this.canvas = canvas;
    this.context = canvas.getContext('2d', { alpha: false, desynchronized: true });
    this.onFrame = onFrame;
    this.onError = onError;
    this.lastDrawn = -1;
    this.inFlight = 0;
    this.dropped = 0;
    this.errors = 0;
  }

  async decode(frame) {
    // Decoding is asynchronous: with two already in flight, a newer frame is worth more than this one.
    if (this.inFlight >= 2) {
      this.dropped++;
      return;
    }
    this.inFlight++;
    let bitmap = null;
    try {
      bitmap = await createImageBitmap(new Blob([frame.payload], { type: 'image/jpeg' }));
      if (frame.frameId <= this.lastDrawn) {
        this.dropped++; // an older frame finished after a newer one
        return;
      }
      this.lastDrawn = frame.frameId;
      if (this.canvas.width !== bitmap.width || this.canvas.height !== bitmap.height) {
        this.canvas.width = bitmap.width;
        this.canvas.height = bitmap.height;
      }
      this.context.drawImage(bitmap, 0, 0);
      this.onFrame({ frameId: frame.frameId, captureTsUs: frame.captureTsUs, width: bitmap.width, height: bitmap.height });
    } catch (error) {
      this.errors++;
      this.onError(`JPEG decode error: ${error?.message ?? error}`);
    } finally {
      bitmap?.close();
      this.inFlight--;
    }
  }

  close() {
    this.lastDrawn = -1;
  }
}
