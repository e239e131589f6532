// Builds the browser SDK (docs/CONTRACTS.md §3): an IIFE for the script tag, an ESM module for bundlers,
// and one bundled type declaration file; and the demo site's page scripts.
import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';
import { dts } from 'rollup-plugin-dts';

// Browser code for evergreen browsers (ES2020); the project's tsconfig is for Node.
const ts = (folders, lib = ['ES2020', 'DOM']) =>
  typescript({
    tsconfig: false,
    compilerOptions: {
      target: 'ES2020',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      lib,
      strict: true,
      noEmit: false,
      declaration: false,
    },
    include: [folders].flat().map((folder) => `${folder}/**/*.ts`),
  });

const minify = () =>
  terser({
    ecma: 2020,
    compress: { passes: 3, unsafe_arrows: true, pure_getters: true, booleans_as_integers: true },
    mangle: { properties: { regex: /^_/ } },
    format: { comments: false },
  });

export default [
  {
    input: 'sdk/browser.ts',
    output: { file: 'dist/sdk/ashop.min.js', format: 'iife', strict: false },
    plugins: [ts('sdk'), minify()],
  },
  {
    input: 'sdk/index.ts',
    output: { file: 'dist/sdk/ashop.mjs', format: 'es' },
    plugins: [ts('sdk'), minify()],
  },
  {
    input: 'sdk/index.ts',
    output: { file: 'dist/sdk/ashop.d.ts', format: 'es' },
    plugins: [dts()],
  },
  // The demo site's page scripts: ES modules sharing chunks, loaded with <script type="module">.
  {
    input: {
      'store-signup': 'demo-site/browser/store-signup.ts',
      'partner-account': 'demo-site/browser/partner-account.ts',
      portal: 'demo-site/browser/portal.ts',
      settings: 'demo-site/browser/settings.ts',
      console: 'demo-site/browser/console.ts',
    },
    output: { dir: 'dist/site', format: 'es', chunkFileNames: '[name]-[hash].js' },
    // The portal's link builder checks values with the SDK's own rules (sdk/link.ts).
    plugins: [
      ts(['demo-site/browser', 'sdk'], ['ES2022', 'DOM', 'DOM.Iterable']),
      terser({ format: { comments: false } }),
    ],
  },
];
