import { HlsSimulator } from '../../testbenches/sim/hls.ts';
import type { CsimBuild } from '../../testbenches/sim/hls-build.ts';
import { findExecutable } from '../../testbenches/sim/executables.ts';
import { buildVendorCsim } from './hls-vendor-build.ts';
import { findVendorHeaders, requireVendorHeaders } from './vendor-headers.ts';

/**
 * The hls C-simulation (testbenches/sim/hls.ts) compiled against the vendor's ap_types instead of
 * bitsmith's portable bitsmith_ap.h: the same emitted C++, harness, vector files and report lines,
 * built with -DBITSMITH_VENDOR_AP_INT and the vendor folder as a system include folder. It checks that
 * the C++ an HLS tool compiles computes what the golden model says, with the tool's own integer types.
 */
export class HlsVendorSimulator extends HlsSimulator {
  override readonly name = 'hls-vendor';

  constructor(private readonly headers?: string) {
    super();
  }

  override async available(): Promise<boolean> {
    return (await findExecutable('g++')) !== undefined && (this.headers ?? findVendorHeaders()) !== undefined;
  }

  protected override build(
    dir: string,
    files: { fileName: string; text: string }[],
    top: string,
  ): Promise<CsimBuild> {
    return buildVendorCsim(dir, files, top, this.headers ?? requireVendorHeaders());
  }
}
