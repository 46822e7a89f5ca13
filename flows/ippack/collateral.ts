// The text files around a package's RTL: the FuseSoC core and the Vivado and Quartus scripts.
import { renderTemplate } from '../../generators/emit/templates.ts';
import { BITSMITH_VERSION } from '../../generators/emit/version.ts';
import { isControlPort } from '../../generators/hdl/ir.ts';
import type { Target } from '../target.ts';
import type { PackagedTestbench } from './testbench-files.ts';

/** FuseSoC's vendor:library:name:version of a package. */
export function coreVlnv(ip: string): string {
  return `bitsmith:ip:${ip}:${BITSMITH_VERSION}`;
}

/** A YAML scalar: JSON's double-quoted strings, numbers and booleans are valid YAML as they are. */
function yamlScalar(value: unknown): string {
  return JSON.stringify(value);
}

function capiDatatype(value: unknown): 'bool' | 'int' | 'real' | 'str' {
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'real';
  return 'str';
}

/** The FuseSoC CAPI2 core file of a package (paths relative to the package folder). */
export function renderCoreFile(
  target: Target,
  rtlFiles: string[],
  tb: PackagedTestbench | undefined,
): string {
  return renderTemplate('fusesoc/core.hbs', {
    version: BITSMITH_VERSION,
    ip: target.ip,
    vlnv: coreVlnv(target.ip),
    descriptionYaml: yamlScalar(target.description),
    top: target.module.name,
    generator: target.generator.name,
    rtlFiles,
    tb: tb ?? false,
    parameters: Object.entries(target.params).map(([name, value]) => ({
      name,
      datatype: capiDatatype(value),
      // FuseSoC (CAPI2) takes a scalar default only: a list or record is given as its JSON text.
      valueYaml: yamlScalar(typeof value === 'object' && value !== null ? JSON.stringify(value) : value),
      descriptionYaml: yamlScalar(
        `${target.generator.name} parameter ${name} = ${typeof value === 'string' ? value : JSON.stringify(value)}, fixed in this RTL`,
      ),
    })),
  });
}

/** Default parts of the vendor scripts; both scripts take another one on the command line. */
export const VIVADO_PART = 'xc7a100tcsg324-1';
export const QUARTUS_FAMILY = 'Cyclone V';
export const QUARTUS_DEVICE = '5CSEMA5F31C6';
/** The clock the vendor constraints ask for: 250 MHz. */
export const VENDOR_PERIOD_NS = 4;

export interface VendorFiles {
  'vendor/vivado.tcl': string;
  'vendor/quartus.tcl': string;
  [constraints: `vendor/${string}.${'xdc' | 'sdc'}`]: string;
}

/** Vivado non-project TCL + XDC, Quartus TCL + SDC, keyed by their path in the package. */
export function renderVendorFiles(target: Target, rtlFiles: string[]): Record<string, string> {
  const m = target.module;
  const clocked = m.ports.some((p) => p.name === 'clk');
  const common = {
    version: BITSMITH_VERSION,
    ip: target.ip,
    top: m.name,
    rtlFiles,
    clocked,
    periodNs: VENDOR_PERIOD_NS.toFixed(3),
    targetMhz: Math.round(1000 / VENDOR_PERIOD_NS),
  };
  const virtualPins = m.ports
    .filter((p) => p.name !== 'clk')
    .map((p) => (p.type.width === 1 ? p.name : `${p.name}[*]`));
  return {
    'vendor/vivado.tcl': renderTemplate('vendor/vivado.tcl.hbs', { ...common, part: VIVADO_PART }),
    [`vendor/${target.ip}.xdc`]: renderTemplate('vendor/constraints.xdc.hbs', common),
    'vendor/quartus.tcl': renderTemplate('vendor/quartus.tcl.hbs', {
      ...common,
      family: QUARTUS_FAMILY,
      device: QUARTUS_DEVICE,
      virtualPins,
    }),
    [`vendor/${target.ip}.sdc`]: renderTemplate('vendor/constraints.sdc.hbs', common),
  };
}

/** Data ports of a module (no clock, reset or handshake). */
export function dataPorts(target: Target) {
  return target.module.ports.filter((p) => !isControlPort(p.name));
}
