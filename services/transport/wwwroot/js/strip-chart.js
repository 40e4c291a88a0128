// A scrolling strip chart on a canvas: a few signals over the last N seconds, each autoscaled into its own band.

const COLORS = ['#4fc3f7', '#ffb74d', '#81c784', '#f06292', '#ba68c8', '#fff176'];

export class StripChart {
  /** @param {HTMLCanvasElement} canvas @param {number} spanS seconds shown */
  constructor(canvas, spanS = 20) {
    this.canvas = canvas;
    this.context = canvas.getContext('2d');
    this.spanS = spanS;
    this.series = new Map(); // name -> {color, points: [[t, v]]}
  }

  get names() {
    return [...this.series.keys()];
  }

  setSignals(names) {
    const next = new Map();
    names.forEach((name, i) => next.set(name, this.series.get(name) ?? { color: COLORS[i % COLORS.length], points: [] }));
    [...next.values()].forEach((s, i) => (s.color = COLORS[i % COLORS.length]));
    this.series = next;
  }

  /** Adds one sample per chosen signal at time t (seconds). */
  push(t, valueOf) {
    for (const [name, s] of this.series) {
      const v = valueOf(name);
      if (v === undefined || !Number.isFinite(v)) continue;
      if (s.points.length && t < s.points[s.points.length - 1][0]) s.points.length = 0; // the sim was reset
      s.points.push([t, v]);
      while (s.points.length && s.points[0][0] < t - this.spanS) s.points.shift();
    }
  }

  draw() {
    const { canvas, context: g } = this;
    const dpr = window.devicePixelRatio || 1;
    const width = Math.round(canvas.clientWidth * dpr);
    const height = Math.round(canvas.clientHeight * dpr);
    if (width === 0 || height === 0) return;
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    g.clearRect(0, 0, w, h);
    const bands = [...this.series.entries()];
    if (bands.length === 0) {
      g.fillStyle = '#6b7785';
      g.font = '12px system-ui, sans-serif';
      g.fillText('choose signals to chart', 12, 20);
      return;
    }
    const latest = Math.max(...bands.map(([, s]) => s.points.at(-1)?.[0] ?? -Infinity));
    const tEnd = Number.isFinite(latest) ? latest : 0;
    const bandH = h / bands.length;
    g.font = '11px ui-monospace, SFMono-Regular, Menlo, monospace';
    bands.forEach(([name, s], i) => {
      const top = i * bandH;
      g.strokeStyle = '#222a33';
      g.beginPath();
      g.moveTo(0, top + bandH - 0.5);
      g.lineTo(w, top + bandH - 0.5);
      g.stroke();
      if (s.points.length === 0) return;
      let min = Infinity;
      let max = -Infinity;
      for (const [, v] of s.points) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      const pad = (max - min) * 0.1 || Math.max(Math.abs(max) * 0.1, 0.05);
      min -= pad;
      max += pad;
      const y = (v) => top + 4 + (1 - (v - min) / (max - min)) * (bandH - 8);
      const x = (t) => w - ((tEnd - t) / this.spanS) * w;
      g.strokeStyle = s.color;
      g.lineWidth = 1.5;
      g.beginPath();
      s.points.forEach(([t, v], j) => (j === 0 ? g.moveTo(x(t), y(v)) : g.lineTo(x(t), y(v))));
      g.stroke();
      const last = s.points.at(-1)[1];
      g.fillStyle = s.color;
      g.fillText(`${name}  ${formatValue(last)}`, 8, top + 14);
      g.fillStyle = '#6b7785';
      g.fillText(formatValue(max), w - 60, top + 14);
      g.fillText(formatValue(min), w - 60, top + bandH - 6);
    });
  }
}

export function formatValue(v) {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e5 || a < 1e-3) ? v.toExponential(2) : v.toFixed(3);
}
