/** The GEMV core's `status` codes, held with `error` until the next start. */
export const GEMV_STATUS = {
  ok: 0,
  /** k_len is 0 or larger than maxK: the job is rejected at start, no stream is touched. */
  badK: 1,
  /** n_len is 0 or larger than maxN: rejected at start likewise. */
  badN: 2,
  /** tlast on an x beat other than the last, or missing on the last: the streams drain to their tlast. */
  xLast: 3,
  wLast: 4,
  sLast: 5,
} as const;
