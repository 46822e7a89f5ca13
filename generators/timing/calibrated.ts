// Written by flows/timing/calibrate.ts from flows/timing/measured.json: do not edit by hand.
export const CALIBRATED = {
  "ecp5": {registerNs: 0.7212, lutNs: 1.2292, muxNs: 0.7257, sizeExponent: 0.0001, carryBitNs: 0.0365, chainNs: 1.6654, dspNs: 6.222, bramNs: 9.171, fanoutNs: 0.0001},
  "ecp5-8": {registerNs: 3.0119, lutNs: 0.3264, muxNs: 0.1225, sizeExponent: 0.0577, carryBitNs: 0.0341, chainNs: 0.4089, dspNs: 2.2707, bramNs: 9.171, fanoutNs: 0},
  "ice40": {registerNs: 1.3041, lutNs: 1.5141, muxNs: 0.9335, sizeExponent: 0, carryBitNs: 0.1772, chainNs: 0.7537, dspNs: 6.222, bramNs: 9.171, fanoutNs: 0},
  "lut6": {registerNs: 3.0119, lutNs: 0.3264, muxNs: 0.1225, sizeExponent: 0.0577, carryBitNs: 0.0341, chainNs: 0.4089, dspNs: 2.2707, bramNs: 9.171, fanoutNs: 0},
} as const;
