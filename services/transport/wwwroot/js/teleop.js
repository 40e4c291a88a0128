// Operator input: keyboard (WASD = linear x/y, Q/E = yaw) and the Gamepad API (sticks with a deadzone),
// combined into one body-frame velocity command.

const KEYS = Object.freeze({
  KeyW: ['x', +1], KeyS: ['x', -1],
  KeyA: ['y', +1], KeyD: ['y', -1], // +y is to the robot's left (REP 103)
  KeyQ: ['z', +1], KeyE: ['z', -1], // +z yaw turns left
});

export const DEADZONE = 0.12;

/** Maps a stick axis to [-1, 1] with a deadzone, rescaled so motion starts smoothly at its edge. */
export function applyDeadzone(value, deadzone = DEADZONE) {
  const magnitude = Math.abs(value);
  if (magnitude <= deadzone) return 0;
  return Math.sign(value) * Math.min(1, (magnitude - deadzone) / (1 - deadzone));
}

export class Teleop {
  constructor(target = window) {
    this.pressed = new Set();
    this.maxLinear = 0.8; // m/s
    this.maxAngular = 1.2; // rad/s
    this.gamepadName = null;
    this.onKeys = null;
    target.addEventListener('keydown', (event) => this.key(event, true));
    target.addEventListener('keyup', (event) => this.key(event, false));
    // A key released while the window had no focus never sends keyup: forget everything on blur.
    target.addEventListener('blur', () => this.pressed.clear());
  }

  key(event, down) {
    if (!(event.code in KEYS) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) return;
    event.preventDefault();
    if (down) this.pressed.add(event.code); else this.pressed.delete(event.code);
    this.onKeys?.(this.pressed);
  }

  /** The command now, in m/s and rad/s; a gamepad stick outside its deadzone overrides the keyboard on that axis. */
  command() {
    const axis = { x: 0, y: 0, z: 0 };
    for (const code of this.pressed) {
      const [name, sign] = KEYS[code];
      axis[name] += sign;
    }
    const pad = this.gamepad();
    if (pad) {
      const x = -applyDeadzone(pad.axes[1] ?? 0); // stick up is negative
      const y = -applyDeadzone(pad.axes[0] ?? 0);
      const z = -applyDeadzone(pad.axes[2] ?? 0);
      if (x !== 0) axis.x = x;
      if (y !== 0) axis.y = y;
      if (z !== 0) axis.z = z;
    }
    const clamp = (v) => Math.max(-1, Math.min(1, v));
    return {
      linear_x: clamp(axis.x) * this.maxLinear,
      linear_y: clamp(axis.y) * this.maxLinear,
      angular_z: clamp(axis.z) * this.maxAngular,
    };
  }

  gamepad() {
    const pads = navigator.getGamepads?.() ?? [];
    const pad = [...pads].find((p) => p && p.connected) ?? null;
    this.gamepadName = pad?.id ?? null;
    return pad;
  }

  /** True while the gamepad's east face button (B / circle) is held: the pad's E-STOP. */
  gamepadEstop() {
    const pad = this.gamepad();
    return Boolean(pad?.buttons?.[1]?.pressed);
  }
}
