// Where Debian's (or a given) Chromium lives; shared by the browser tests and `npm test`'s prerequisites.
export function chromiumCandidates(): string[] {
  return [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((path): path is string =>
    Boolean(path),
  );
}
