// Where the vendor's arbitrary-precision types (Xilinx ap_types: ap_int.h, ap_fixed.h, hls_stream.h)
// are found for `bitsmith verify --sim hls-vendor`. The hls4ml wheel (Apache-2.0, pinned in
// requirements.txt) ships them under hls4ml/templates/vivado/ap_types; setup.sh installs it into .venv.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { VENV_DIR } from '../tools.ts';

/** Set to a folder holding ap_int.h (e.g. a Vitis HLS include folder) to use those headers instead. */
export const VENDOR_HEADERS_VARIABLE = 'BITSMITH_AP_TYPES';

const IN_WHEEL = ['hls4ml', 'templates', 'vivado', 'ap_types'];

/** The folder that holds the vendor ap_int.h and hls_stream.h, or undefined when none is installed. */
export function findVendorHeaders(venvDir: string = VENV_DIR): string | undefined {
  const set = process.env[VENDOR_HEADERS_VARIABLE];
  if (set !== undefined && set !== '') return resolve(set);
  const lib = join(venvDir, 'lib');
  if (!existsSync(lib)) return undefined;
  for (const python of readdirSync(lib).sort()) {
    const dir = join(lib, python, 'site-packages', ...IN_WHEEL);
    if (existsSync(join(dir, 'ap_int.h'))) return dir;
  }
  return undefined;
}

/** Like findVendorHeaders; a missing folder is an Error that names the setup command. */
export function requireVendorHeaders(venvDir: string = VENV_DIR): string {
  const set = process.env[VENDOR_HEADERS_VARIABLE];
  const dir = findVendorHeaders(venvDir);
  if (dir !== undefined && existsSync(join(dir, 'ap_int.h')) && existsSync(join(dir, 'hls_stream.h')))
    return dir;
  if (set !== undefined && set !== '')
    throw new Error(
      `${VENDOR_HEADERS_VARIABLE}=${set} holds no ap_int.h and hls_stream.h: point it at the vendor's ` +
        `ap_types include folder, or unset it to use the headers of hls4ml in .venv`,
    );
  throw new Error(
    `the vendor ap_types headers (ap_int.h, hls_stream.h from hls4ml in requirements.txt) are not ` +
      `installed in ${venvDir}: run ./setup.sh --no-build (or: python3 -m venv .venv && ` +
      `.venv/bin/pip install -r requirements.txt)`,
  );
}
