// IIFE entry for the script tag. Filled in by the SDK issue.
export {};
