/** 's8' for a signed 8-bit integer, 'u4' for an unsigned 4-bit one: the tag used in module names. */
export function intTag(width: number, signed: boolean): string {
  return `${signed ? 's' : 'u'}${width}`;
}

/**
 * The suffix that says how a unit is timed: 'l0' (combinational) .. 'l3', plus '_rdy' with backpressure
 * or '_skid' with backpressure through an output skid buffer (a registered in_ready).
 */
export function timingTag(latency: number, ready: boolean | 'skid'): string {
  return `l${latency}${readyTag(ready)}`;
}

/**
 * The timing suffix of a unit whose registers the delay model placed for a clock on a target:
 * 'f150_ecp5', 'f120_ecp5_8_rdy'. The stages follow from these, so the name does not repeat them.
 */
export function placedTag(fmax: number, target: string, ready: boolean | 'skid'): string {
  return `f${numberTag(fmax)}_${target.replace(/[^A-Za-z0-9]/g, '_')}${readyTag(ready)}`;
}

function readyTag(ready: boolean | 'skid'): string {
  return ready === 'skid' ? '_skid' : ready ? '_rdy' : '';
}

/** A number in a module name: '2p5' for 2.5, 'm5' for −5 (anything else not a letter or digit becomes '_'). */
export function numberTag(x: number): string {
  return (
    (x < 0 ? 'm' : '') +
    String(Math.abs(x))
      .replace('.', 'p')
      .replace(/[^A-Za-z0-9]/g, '_')
  );
}
