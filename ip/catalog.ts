/**
 * The IP catalog: named, documented presets of generators. `bitsmith build` generates and verifies
 * every entry; `bitsmith gen <name>` one of them.
 */
export interface CatalogEntry {
  /** IP name: the folder under out/ and the name on the command line. */
  name: string;
  generator: string;
  params: Record<string, unknown>;
  description: string;
}

export const CATALOG: readonly CatalogEntry[] = [
  {
    name: 'mul_int8_s',
    generator: 'int_mul',
    params: { aWidth: 8, bWidth: 8, aSigned: true, bSigned: true, latency: 1 },
    description: 'INT8×INT8 signed multiplier, 16-bit product, registered output',
  },
  {
    name: 'mul_int4_u_comb',
    generator: 'int_mul',
    params: { aWidth: 4, bWidth: 4, aSigned: false, bSigned: false, latency: 0 },
    description: 'UINT4×UINT4 combinational multiplier, 8-bit product',
  },
  {
    name: 'mac_int4_s_acc16',
    generator: 'int_mac',
    params: {
      aWidth: 4,
      bWidth: 4,
      aSigned: true,
      bSigned: true,
      accWidth: 16,
      overflow: 'wrap',
      latency: 1,
    },
    description: 'INT4×INT4 signed multiply-accumulate into a 16-bit accumulator',
  },
  {
    name: 'mac_int4_u_acc16',
    generator: 'int_mac',
    params: {
      aWidth: 4,
      bWidth: 4,
      aSigned: false,
      bSigned: false,
      accWidth: 16,
      overflow: 'wrap',
      latency: 1,
    },
    description: 'UINT4×UINT4 multiply-accumulate into a 16-bit accumulator',
  },
  {
    name: 'mac_int8_s_acc32',
    generator: 'int_mac',
    params: {
      aWidth: 8,
      bWidth: 8,
      aSigned: true,
      bSigned: true,
      accWidth: 32,
      overflow: 'wrap',
      latency: 2,
    },
    description: 'INT8×INT8 signed multiply-accumulate into a 32-bit accumulator, product registered',
  },
  {
    name: 'mac_int8_u_acc32',
    generator: 'int_mac',
    params: {
      aWidth: 8,
      bWidth: 8,
      aSigned: false,
      bSigned: false,
      accWidth: 32,
      overflow: 'wrap',
      latency: 2,
    },
    description: 'UINT8×UINT8 multiply-accumulate into a 32-bit accumulator, product registered',
  },
  {
    name: 'mac_int8_s_acc20_sat_rdy',
    generator: 'int_mac',
    params: {
      aWidth: 8,
      bWidth: 8,
      aSigned: true,
      bSigned: true,
      accWidth: 20,
      overflow: 'saturate',
      latency: 3,
      ready: true,
    },
    description:
      'INT8×INT8 signed MAC, 20-bit saturating accumulator (exact for 16 products), valid/ready, latency 3',
  },
];

export function catalogEntry(name: string): CatalogEntry | undefined {
  return CATALOG.find((e) => e.name === name);
}
