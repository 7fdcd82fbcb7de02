/** Where a command came from; copied into the metadata of every event it records. */
export interface CommandMeta {
  /** Deterministic for saga-issued commands, so a repeat is recognised. */
  commandId?: string;
  correlationId?: string;
  causationId?: string;
}
