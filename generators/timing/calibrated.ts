// Written by flows/timing/calibrate.ts from flows/timing/measured.json: do not edit by hand.
export const CALIBRATED = {
  ice40: {
    registerNs: 4.0274,
    lutNs: 0.627,
    carryBitNs: 0.131,
    chainNs: 0.3712,
    dspNs: 0,
    bramNs: 5.5,
    fanoutNs: 0,
  },
  ecp5: {
    registerNs: 4.1868,
    lutNs: 0.3156,
    carryBitNs: 0.0428,
    chainNs: 0.4509,
    dspNs: 2.6212,
    bramNs: 5.5288,
    fanoutNs: 0.0075,
  },
  'ecp5-8': {
    registerNs: 3.1702,
    lutNs: 0.2453,
    carryBitNs: 0.034,
    chainNs: 0.3691,
    dspNs: 2.1124,
    bramNs: 5.5,
    fanoutNs: 0.0075,
  },
  lut6: {
    registerNs: 3.1702,
    lutNs: 0.2453,
    carryBitNs: 0.034,
    chainNs: 0.3691,
    dspNs: 2.1124,
    bramNs: 5.5,
    fanoutNs: 0.0075,
  },
} as const;
