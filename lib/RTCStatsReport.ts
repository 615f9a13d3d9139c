// RTCStatsReport (W3C webrtc-pc §8.3): a read-only maplike from stats id to stats object, as
// getStats() resolves it. The members are those libwebrtc produces (webrtc-stats).
import type { Binding } from './binding.js';
import { exposeInterface } from './webidl-values.js';

export type RTCStats = Binding.StatsRecord;

const token = Symbol('internal');

export class RTCStatsReport {
  readonly #map: Map<string, RTCStats>;

  constructor(key: symbol, records: RTCStats[]) {
    if (key !== token) throw new TypeError('Illegal constructor');
    this.#map = new Map(records.map((r) => [r.id, r]));
  }

  get size(): number {
    return this.#map.size;
  }
  get(id: string): RTCStats | undefined {
    return this.#map.get(String(id));
  }
  has(id: string): boolean {
    return this.#map.has(String(id));
  }
  keys(): IterableIterator<string> {
    return this.#map.keys();
  }
  values(): IterableIterator<RTCStats> {
    return this.#map.values();
  }
  entries(): IterableIterator<[string, RTCStats]> {
    return this.#map.entries();
  }
  forEach(callback: (value: RTCStats, key: string, report: RTCStatsReport) => void, thisArg?: unknown): void {
    for (const [key, value] of this.#map) callback.call(thisArg, value, key, this);
  }
  [Symbol.iterator](): IterableIterator<[string, RTCStats]> {
    return this.#map.entries();
  }
}
exposeInterface(RTCStatsReport, 'RTCStatsReport');

export function createStatsReport(records: RTCStats[]): RTCStatsReport {
  return new RTCStatsReport(token, records);
}
