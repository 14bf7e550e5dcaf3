/** A cache's disk bound: set in MiB from a machine setting or a CLI flag, read in bytes by the cache's trim. */
export interface DiskBound {
  /** Sets the bound in MiB; a negative or non-finite value is ignored. 0 keeps only the entries in use. */
  setMB(mb: number): void;
  bytes(): number;
}

export function diskBound(defaultMB: number): DiskBound {
  let max = defaultMB * 2 ** 20;
  return {
    setMB: (mb) => {
      if (Number.isFinite(mb) && mb >= 0) max = Math.floor(mb * 2 ** 20);
    },
    bytes: () => max,
  };
}
