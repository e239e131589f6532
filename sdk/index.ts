// ESM entry for bundlers. Filled in by the SDK issue.
export const version = '0.0.0';
