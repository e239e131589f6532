// Builds the browser SDK (DESIGN.md §2): an IIFE for the script tag, an ESM module for bundlers,
// and one bundled type declaration file.
import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';
import { dts } from 'rollup-plugin-dts';

const ts = () =>
  typescript({
    tsconfig: false,
    compilerOptions: {
      target: 'ES2020',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      lib: ['ES2020', 'DOM'],
      strict: true,
      noEmit: false,
      declaration: false,
    },
    include: ['sdk/**/*.ts'],
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
    plugins: [ts(), minify()],
  },
  {
    input: 'sdk/index.ts',
    output: { file: 'dist/sdk/ashop.mjs', format: 'es' },
    plugins: [ts(), minify()],
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
      console: 'demo-site/browser/console.ts',
    },
    output: { dir: 'dist/site', format: 'es', chunkFileNames: '[name]-[hash].js' },
    plugins: [
      typescript({
        tsconfig: false,
        compilerOptions: {
          target: 'ES2020',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
          strict: true,
          noEmit: false,
          declaration: false,
        },
        include: ['demo-site/browser/**/*.ts'],
      }),
      terser({ format: { comments: false } }),
    ],
  },
];
