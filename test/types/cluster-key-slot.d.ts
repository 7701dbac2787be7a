/** The Redis Cluster slot (0–16383) of a key, honouring its hash tag; the package ships no types. */
declare module 'cluster-key-slot' {
  function calculateSlot(key: string | Buffer): number;
  export = calculateSlot;
}
