// Test environment as @grafana/create-plugin's jest-setup: jest-dom matchers, and the browser
// APIs jsdom lacks that @grafana/ui touches. Canvas: a recording 2D context, so that tests can
// check what the heatmap drew (jsdom has no canvas).
import '@testing-library/jest-dom';
import { TextEncoder } from 'node:util';
import { MessageChannel } from 'node:worker_threads';
import { version as reactVersion } from 'react';

Object.assign(globalThis, { TextEncoder });
// React 19's scheduler (Grafana 13) posts its work through MessageChannel, which jsdom lacks;
// React 18 falls back to timers, and a node MessageChannel would only hold jest open there.
if (Number(reactVersion.split('.')[0]) >= 19 && !('MessageChannel' in globalThis)) {
  Object.assign(globalThis, { MessageChannel });
}

Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  }),
});

class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
Object.assign(globalThis, { ResizeObserver: ResizeObserverStub });

export interface RecordedRect {
  x: number;
  y: number;
  w: number;
  h: number;
  fill: string;
}

/** What the fake 2D context saw: every fillRect with the fill style in force. */
export function recordingContext() {
  const rects: RecordedRect[] = [];
  const ctx = {
    rects,
    fillStyle: '#000',
    strokeStyle: '#000',
    lineWidth: 1,
    fillRect(x: number, y: number, w: number, h: number) {
      rects.push({ x, y, w, h, fill: String(ctx.fillStyle) });
    },
    clearRect() {
      rects.length = 0;
    },
    setTransform() {},
    beginPath() {},
    moveTo() {},
    lineTo() {},
    stroke() {},
    save() {},
    restore() {},
    rect() {},
    clip() {},
    strokeRect() {},
  };
  return ctx;
}

const contexts = new WeakMap<HTMLCanvasElement, ReturnType<typeof recordingContext>>();
HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement) {
  let ctx = contexts.get(this);
  if (!ctx) {
    ctx = recordingContext();
    contexts.set(this, ctx);
  }
  return ctx as unknown as CanvasRenderingContext2D;
} as unknown as typeof HTMLCanvasElement.prototype.getContext;

// Webpack's free variable, assigned by src/publicPath.ts.
Object.assign(globalThis, { __webpack_public_path__: '' });
