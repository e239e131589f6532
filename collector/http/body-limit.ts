// One size limit for every request body the collector parses, JSON or text/plain.
export const jsonBodyLimit = '64kb';
