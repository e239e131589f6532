// uPlot is loaded as its own script (/vendor/uPlot.iife.min.js) and used through its global.
import type uPlotType from 'uplot';

declare global {
  interface Window {
    uPlot?: typeof uPlotType;
  }
}

/** Resolves once the uPlot script (loaded on demand) has defined its global. */
export function loadUplot(): Promise<typeof uPlotType> {
  if (window.uPlot) return Promise.resolve(window.uPlot);
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/vendor/uPlot.iife.min.js';
    script.onload = () => (window.uPlot ? resolve(window.uPlot) : reject(new Error('uPlot did not load')));
    script.onerror = () => reject(new Error('uPlot did not load'));
    document.head.append(script);
  });
}
