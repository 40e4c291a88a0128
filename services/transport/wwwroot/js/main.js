// The viewer: wires the /stream/ws connection to the video canvas, the safety badge, teleop, charts and stats.

import { Codec, MsgType, encodeCommand, encodeKeyframeRequest, parseJson, parseTelemetry, parseVideo } from './protocol.js';
import { H264Decoder, isH264Supported } from './h264-decoder.js';
import { JpegRenderer } from './jpeg-renderer.js';
import { StreamConnection } from './connection.js';
import { VideoStats, nowUs } from './video-stats.js';
import { SafetyState } from './safety-state.js';
import { Teleop } from './teleop.js';
import { StripChart, formatValue } from './strip-chart.js';

const VIDEO_LOST_MS = 500; // layer 1 (ARCHITECTURE.md section 8): no frame at all
const VIDEO_STALE_MS = positiveParam('stale_ms', 300); // layer 1: the frame on screen is older than this
const MAX_LAG_MS = positiveParam('max_lag_ms', 100); // the decoder's backlog bound (h264-decoder.js)
const HEARTBEAT_MS = 50; // set_cmd_vel at 20 Hz
const COMMAND_TTL_MS = 300;
const SAFETY_STALE_MS = 3000; // the authority publishes at 2 Hz
const DEFAULT_SIGNALS = ['robot0.x', 'robot0.y', 'robot0.vx'];

const $ = (id) => document.getElementById(id);

/** A positive number from the page's query, or the default. */
function positiveParam(name, fallback) {
  const value = Number(new URLSearchParams(location.search).get(name));
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

// --- where to connect: the page's own query (stream, session, ...) goes to /stream/ws as it is ---
const query = new URLSearchParams(location.search);
if (!query.has('stream')) query.set('stream', 'main');
if (!query.has('client')) query.set('client', 'viewer'); // the transport appends it to this connection's identity
const streamName = query.get('stream');
const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/stream/ws?${query}`;
$('stream-name').textContent = streamName + (query.get('session') ? ` · session ${query.get('session')}` : '');

// --- state ---
const canvas = $('video');
const stats = new VideoStats();
const safety = new SafetyState();
const teleop = new Teleop();
const chart = new StripChart($('chart'));
const latestSignals = new Map();
let signalNames = [];
let simState = null;
let videoGate = null;
let videoLost = true;
let videoLostAfterMs = null; // the frame age when VIDEO LOST last went up (page clock)
let videoStale = false; // frames come, but the one on screen is older than VIDEO_STALE_MS
let clockOffsetUs = 0; // server clock − page clock, from transport.welcome (PROTOCOL.md, "Frame age")
let videoUnavailable = null; // why the transport says there is no video (transport.video_unavailable), until frames come
let heartbeatTicks = 0;
let codecName = null;
let connected = false;
let clientId = null;
let terminated = null;
let commandsSent = 0;
let lastCommand = null;
let acksRejected = 0;
let gamepadEstopHeld = false;
// cmd_seq only grows, across reloads too: the sim ignores a set_cmd_vel whose cmd_seq is not above the last one.
let cmdSeq = Date.now();

const onFrame = (info) => stats.record(info);
const onDecodeError = (message) => log(message, 'warn');
let keyframeRequests = 0;
const onNeedKeyframe = () => {
  if (connection.send(encodeKeyframeRequest())) keyframeRequests++;
};
const h264 = isH264Supported() ? new H264Decoder(canvas, onFrame, onDecodeError, onNeedKeyframe, MAX_LAG_MS) : null;
const jpeg = new JpegRenderer(canvas, onFrame, onDecodeError);
if (!h264) log('WebCodecs VideoDecoder is not available here (needs a secure context: https or localhost); only JPEG can be shown', 'error');

// --- the connection ---
const connection = new StreamConnection(wsUrl, {
  onMessage: handleMessage,
  onStatus: (status) => {
    connected = status.state === 'open';
    const el = $('connection');
    el.className = `connection connection--${status.state}`;
    const text = {
      connecting: status.attempt ? `connecting (attempt ${status.attempt + 1})` : 'connecting',
      open: 'connected',
      reconnecting: `${status.reason}; retry in ${((status.retryInMs ?? 0) / 1000).toFixed(1)} s`,
      closed: terminated ?? 'closed',
    }[status.state];
    $('connection-text').textContent = text;
    if (status.state === 'open') log(`connected to ${wsUrl}`);
    if (status.state === 'reconnecting') {
      log(`connection: ${status.reason}`, 'warn');
      h264?.close(); // the next connection starts at a keyframe
      if (h264) h264.waitingForKeyframe = true;
    }
  },
});

function handleMessage(buffer) {
  const type = new Uint8Array(buffer, 0, 1)[0];
  try {
    switch (type) {
      case MsgType.VIDEO: return handleVideo(parseVideo(buffer));
      case MsgType.TELEMETRY: return handleTelemetry(parseTelemetry(buffer));
      default: {
        const message = parseJson(buffer);
        log(`server: ${message.error ?? message.message ?? message.reason ?? JSON.stringify(message)}`, message.error ? 'error' : 'info');
      }
    }
  } catch (error) {
    log(`bad message (type 0x${type.toString(16).padStart(2, '0')}): ${error.message}`, 'error');
  }
}

function handleVideo(frame) {
  if (frame.codec === Codec.H264) {
    codecName = 'H.264';
    h264?.decode(frame);
  } else if (frame.codec === Codec.JPEG) {
    codecName = 'JPEG';
    jpeg.decode(frame);
  } else if (codecName !== `codec ${frame.codec}`) {
    codecName = `codec ${frame.codec}`; // e.g. HEVC (2): this page decodes H.264 and JPEG only
    log(`cannot show codec ${frame.codec} (frame ${frame.frameId}): this viewer decodes H.264 and JPEG`, 'error');
  }
}

function handleTelemetry({ subject, data }) {
  if (subject === 'transport.welcome') {
    clientId = data.client_id;
    // The message left the server at most its one-way delay ago: that is this estimate's error.
    if (Number.isFinite(data.server_time_us)) clockOffsetUs = data.server_time_us - nowUs();
    log(`joined session ${data.session}, stream ${data.stream} as ${data.client_id}`);
  } else if (subject === 'transport.video_unavailable') {
    // Why no frames come (no encoder answers, or it cannot encode): shown on the video overlay until frames arrive.
    videoUnavailable = data.reason;
    log(`no video on ${data.stream}: ${data.reason}`, 'warn');
    checkVideo();
  } else if (subject === 'transport.error') {
    log(`transport refused ${data.action ? `${data.action} #${data.cmd_seq}` : 'a message'}: ${data.error}: ${data.detail}`, 'error');
  } else if (subject === 'session.terminated') {
    // The session is over (its recording failed): reconnecting would only join a dead session.
    terminated = `session terminated: ${data.reason}`;
    connection.stop();
    log(`SESSION TERMINATED: ${data.reason}${data.detail ? ` (${data.detail})` : ''}; reload to start again`, 'error');
  } else if (subject === 'safety.state') {
    if (safety.apply(data)) {
      renderSafety();
      log(`safety ${data.mode} (state ${data.state_id}): ${data.reason}`, data.mode === 'ARMED' ? 'info' : 'warn');
    }
  } else if (subject === 'telemetry.sim.state') {
    handleSimState(data);
  } else if (subject === 'telemetry.safety.video_gate') {
    videoGate = data;
    $('safety-gate').textContent = data.gated ? `${data.mode ?? 'HOLD'} · ${data.stale_ms} ms stale` : 'open';
  } else if (subject === 'telemetry.command.ack') {
    if (data.status !== 'ok') {
      acksRejected++;
      if (data.action !== 'set_cmd_vel' || data.status === 'rejected') log(`${data.action} #${data.cmd_seq} ${data.status}${data.reason ? `: ${data.reason}` : ''}`, 'warn');
    } else if (data.action !== 'set_cmd_vel') {
      log(`${data.action} #${data.cmd_seq} ok`);
    }
  }
}

function handleSimState(state) {
  simState = state;
  const names = state.names ?? [];
  const values = state.values ?? [];
  if (names.length !== signalNames.length || names.some((n, i) => n !== signalNames[i])) {
    signalNames = names;
    buildSignalList();
  }
  for (let i = 0; i < names.length; i++) latestSignals.set(names[i], values[i]);
  chart.push(state.time, (name) => latestSignals.get(name));
}

// --- commands ---
function sendCommand(action, data = {}, ttlMs = undefined) {
  cmdSeq++;
  const sent = connection.send(encodeCommand(action, cmdSeq, data, ttlMs));
  if (sent) {
    commandsSent++;
    lastCommand = { action, cmd_seq: cmdSeq, data, ttl_ms: ttlMs };
  }
  return sent;
}

function estop(origin) {
  const sent = sendCommand('estop', { reason: `operator E-STOP (viewer, ${origin})` });
  log(sent ? `E-STOP sent (${origin})` : 'E-STOP NOT SENT: not connected', sent ? 'warn' : 'error');
}

function rearm() {
  const sent = sendCommand('estop_clear', { operator: 'viewer' });
  log(sent ? 'RE-ARM (estop_clear) sent' : 'RE-ARM not sent: not connected', sent ? 'info' : 'error');
}

function videoLive() {
  return !videoLost && !videoStale;
}

function motionAllowed() {
  return videoLive() && safety.mode !== 'ESTOP';
}

// The heartbeat: set_cmd_vel at 20 Hz while this tab is focused and video is live, zeros included.
// In ESTOP it sends zeros, so that an operator can re-arm (the sim wants set_cmd_vel alongside estop_clear).
function heartbeat() {
  heartbeatTicks++;
  const pressedEstop = teleop.gamepadEstop();
  if (pressedEstop && !gamepadEstopHeld) estop('gamepad');
  gamepadEstopHeld = pressedEstop;

  const active = connected && videoLive() && document.visibilityState === 'visible' && document.hasFocus();
  const wanted = teleop.command();
  const command = motionAllowed() ? wanted : { linear_x: 0, linear_y: 0, angular_z: 0 };
  $('cmd-x').textContent = command.linear_x.toFixed(3);
  $('cmd-y').textContent = command.linear_y.toFixed(3);
  $('cmd-z').textContent = command.angular_z.toFixed(3);
  const driveState = $('drive-state');
  const reason = !connected ? 'not connected' : videoLost ? 'video lost' : videoStale ? 'video stale' : !document.hasFocus() ? 'tab not focused'
    : safety.mode === 'ESTOP' ? 'ESTOP: zeros only' : 'live';
  driveState.textContent = reason;
  driveState.className = `pill ${reason === 'live' ? 'on' : 'off'}`;
  if (active) sendCommand('set_cmd_vel', command, COMMAND_TTL_MS);
}

// --- layer 1: video lost (no frames) and video stale (the frame on screen is too old) ---
/** How old the frame on screen is, in server-clock milliseconds since its capture; null before one with a capture time. */
function shownAgeMs() {
  const captureTsUs = stats.lastCaptureTsUs;
  return captureTsUs ? (nowUs() + clockOffsetUs - captureTsUs) / 1000 : null;
}

function checkVideo() {
  const age = stats.ageMs();
  const lost = age > VIDEO_LOST_MS;
  if (!lost) videoUnavailable = null;
  if (lost !== videoLost) {
    videoLost = lost;
    if (lost) {
      videoLostAfterMs = age;
      log(`VIDEO LOST: no frame for ${VIDEO_LOST_MS} ms, motion disabled`, 'error');
    } else {
      log('video live');
    }
  }
  const shownAge = shownAgeMs();
  const stale = !lost && shownAge !== null && shownAge > VIDEO_STALE_MS;
  if (stale !== videoStale) {
    videoStale = stale;
    if (stale) log(`VIDEO STALE: the frame on screen is ${shownAge.toFixed(0)} ms old (over ${VIDEO_STALE_MS} ms), motion disabled`, 'error');
    else if (!lost) log('video fresh again');
  }
  const overlay = $('video-lost');
  overlay.classList.toggle('visible', lost || stale);
  if (lost) {
    overlay.querySelector('.video-lost__title').textContent = stats.framesDrawn === 0 ? 'WAITING FOR VIDEO' : 'VIDEO LOST';
    $('video-lost-detail').textContent = (videoUnavailable ? `${videoUnavailable} · ` : '')
      + (Number.isFinite(age) ? `no frame for ${(age / 1000).toFixed(1)} s · ` : '')
      + `motion controls disabled · safety ${safety.mode}`;
  } else if (stale) {
    overlay.querySelector('.video-lost__title').textContent = 'VIDEO STALE';
    $('video-lost-detail').textContent = `the picture is ${shownAge.toFixed(0)} ms old · motion controls disabled · safety ${safety.mode}`;
  }
}

// --- rendering ---
function renderSafety() {
  const mode = safety.mode;
  document.body.className = `mode-${mode.toLowerCase()}`;
  $('badge-mode').textContent = mode === 'UNKNOWN' ? 'NO STATE' : mode;
  const current = safety.current;
  $('badge-reason').textContent = current ? current.reason : 'waiting for safety.state';
  $('safety-id').textContent = current ? String(current.state_id) : '–';
  $('safety-since').textContent = current ? new Date(current.since_ms).toLocaleTimeString() : '–';
  $('rearm').disabled = mode === 'ARMED';
  const list = $('safety-sources');
  list.replaceChildren(...(current?.sources ?? []).map((s) => {
    const li = document.createElement('li');
    li.className = s.active ? 'active' : '';
    li.textContent = `${s.source}/${s.kind}: ${s.mode}${s.active ? ' (active)' : ''}${s.stale_ms ? ` · ${s.stale_ms} ms` : ''}`;
    return li;
  }));
  document.title = `${mode === 'UNKNOWN' ? '…' : mode} · Platform viewer`;
}

function renderSafetyStaleness() {
  const stale = safety.receivedAtMs !== null && Date.now() - safety.receivedAtMs > SAFETY_STALE_MS;
  $('badge').classList.toggle('stale', stale);
  if (safety.current) {
    $('badge-reason').textContent = stale
      ? `no safety.state for ${((Date.now() - safety.receivedAtMs) / 1000).toFixed(1)} s (last: ${safety.current.reason})`
      : safety.current.reason;
  }
}

function renderStats() {
  const fmt = (v) => (v === null ? '–' : `${v.toFixed(1)} ms`);
  $('stat-fps').textContent = String(stats.fps());
  $('stat-p50').textContent = fmt(stats.latencyP50Ms());
  $('stat-p95').textContent = fmt(stats.latencyP95Ms());
  $('stat-last').textContent = fmt(stats.lastLatencyMs);
  $('stat-age').textContent = fmt(shownAgeMs());
  $('stat-codec').textContent = codecName ?? '–';
  $('stat-size').textContent = stats.width ? `${stats.width}×${stats.height}` : '–';
  $('stat-frames').textContent = String(stats.framesDrawn);
  $('stat-dropped').textContent = String((h264?.dropped ?? 0) + jpeg.dropped);
  $('stat-errors').textContent = String((h264?.errors ?? 0) + jpeg.errors);
  $('sim-mode').textContent = simState ? `${simState.mode}${simState.paused ? ' · paused' : ''}` : '–';
  $('sim-time').textContent = simState ? `t = ${formatValue(simState.time)} s` : 't = –';
  $('gamepad-name').textContent = teleop.gamepadName ?? 'no gamepad';
  if (!videoGate) $('safety-gate').textContent = '–';
}

function buildSignalList() {
  const chosen = chart.names.length ? chart.names : DEFAULT_SIGNALS.filter((n) => signalNames.includes(n));
  chart.setSignals(chosen);
  const filter = $('signal-filter').value.trim().toLowerCase();
  const list = $('signal-list');
  list.replaceChildren(...signalNames.filter((n) => n.toLowerCase().includes(filter)).map((name) => {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = chart.names.includes(name);
    label.className = box.checked ? 'checked' : '';
    box.addEventListener('change', () => {
      const names = chart.names.filter((n) => n !== name);
      if (box.checked) names.push(name);
      chart.setSignals(names.slice(-6));
      buildSignalList();
    });
    label.append(box, name);
    label.title = name;
    return label;
  }));
}

const events = $('events');
function log(text, level = 'info') {
  const li = document.createElement('li');
  li.className = level;
  const time = document.createElement('time');
  time.textContent = new Date().toLocaleTimeString();
  li.append(time, text);
  events.prepend(li);
  while (events.children.length > 200) events.lastChild.remove();
}

// --- input wiring ---
$('estop').addEventListener('click', () => estop('button'));
$('rearm').addEventListener('click', rearm);
window.addEventListener('keydown', (event) => {
  if (event.code === 'Space' || event.code === 'Escape') {
    event.preventDefault(); // Space must not also "click" a focused button
    if (!event.repeat) estop(event.code === 'Space' ? 'Space' : 'Esc');
  } else if (event.code === 'KeyR' && event.shiftKey && !event.repeat) {
    event.preventDefault();
    rearm();
  }
});
window.addEventListener('keyup', (event) => {
  if (event.code === 'Space') event.preventDefault();
});
teleop.onKeys = (pressed) => {
  for (const kbd of document.querySelectorAll('kbd[data-code]')) kbd.classList.toggle('down', pressed.has(kbd.dataset.code));
};
const bindSlider = (id, unit, apply) => {
  const input = $(id);
  const update = () => {
    apply(Number(input.value));
    $(`${id}-value`).textContent = `${Number(input.value).toFixed(1)} ${unit}`;
  };
  input.addEventListener('input', update);
  update();
};
bindSlider('max-linear', 'm/s', (v) => (teleop.maxLinear = v));
bindSlider('max-angular', 'rad/s', (v) => (teleop.maxAngular = v));
$('signal-filter').addEventListener('input', buildSignalList);
window.addEventListener('gamepadconnected', (event) => log(`gamepad connected: ${event.gamepad.id}`));
window.addEventListener('gamepaddisconnected', () => log('gamepad disconnected', 'warn'));

// --- read-only numbers for tests and the bench ---
Object.defineProperty(window, 'viewerStats', {
  value: Object.freeze(Object.create(null, {
    framesDecoded: { get: () => stats.framesDrawn, enumerable: true },
    fps: { get: () => stats.fps(), enumerable: true },
    lastLatencyMs: { get: () => stats.lastLatencyMs, enumerable: true },
    latencyP50Ms: { get: () => stats.latencyP50Ms(), enumerable: true },
    latencyP95Ms: { get: () => stats.latencyP95Ms(), enumerable: true },
    badgeMode: { get: () => safety.mode, enumerable: true },
    stateId: { get: () => safety.stateId, enumerable: true },
    videoLost: { get: () => videoLost, enumerable: true },
    videoUnavailable: { get: () => videoUnavailable, enumerable: true },
    videoLostAfterMs: { get: () => videoLostAfterMs, enumerable: true },
    videoStale: { get: () => videoStale, enumerable: true },
    /** Age of the frame on screen (server clock, ms since capture), or null. */
    shownAgeMs: { get: () => shownAgeMs(), enumerable: true },
    clockOffsetUs: { get: () => clockOffsetUs, enumerable: true },
    lagDrops: { get: () => h264?.lagDrops ?? 0, enumerable: true },
    heartbeatTicks: { get: () => heartbeatTicks, enumerable: true },
    connected: { get: () => connected, enumerable: true },
    clientId: { get: () => clientId, enumerable: true },
    reconnects: { get: () => connection.reconnects, enumerable: true },
    codec: { get: () => codecName, enumerable: true },
    width: { get: () => stats.width, enumerable: true },
    height: { get: () => stats.height, enumerable: true },
    framesDropped: { get: () => (h264?.dropped ?? 0) + jpeg.dropped, enumerable: true },
    decodeErrors: { get: () => (h264?.errors ?? 0) + jpeg.errors, enumerable: true },
    keyframeRequests: { get: () => keyframeRequests, enumerable: true },
    commandsSent: { get: () => commandsSent, enumerable: true },
    lastCommand: { get: () => (lastCommand ? structuredClone(lastCommand) : null), enumerable: true },
    acksRejected: { get: () => acksRejected, enumerable: true },
    signalNames: { get: () => [...signalNames], enumerable: true },
    /** The latest value of one signal from telemetry.sim.state, or undefined. */
    signal: { value: (name) => latestSignals.get(name) },
    /** Every drawn frame with a capture time: {frameId, captureTsUs, displayedUs} (copies). */
    latencySamples: { value: () => stats.samples.map((s) => ({ ...s })) },
  })),
  enumerable: true,
});

// --- go ---
connection.start();
setInterval(heartbeat, HEARTBEAT_MS);
setInterval(() => {
  checkVideo();
  renderSafetyStaleness();
}, 100);
setInterval(renderStats, 250);
const drawChart = () => {
  chart.draw();
  setTimeout(() => requestAnimationFrame(drawChart), 66); // ~15 Hz is plenty for a strip chart
};
requestAnimationFrame(drawChart);
renderSafety();
checkVideo();
document.addEventListener('visibilitychange', () => log(`tab ${document.visibilityState}`));
