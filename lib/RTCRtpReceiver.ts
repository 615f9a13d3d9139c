// RTCRtpReceiver (W3C webrtc-pc §5.3) over native/media/rtc_rtp_transceiver.cc.
import type { Binding } from './binding.js';
import { createTrack, type MediaStreamTrack } from './MediaStreamTrack.js';
import { rtpCapabilities, type RTCRtpCapabilities, type RTCRtpParameters } from './RTCRtpSender.js';
import type { RTCDtlsTransport } from './RTCSctpTransport.js';
import type { RTCStatsReport } from './RTCStatsReport.js';
import { exposeInterface } from './webidl-values.js';

export interface RTCRtpContributingSource {
  timestamp: number;
  source: number;
  audioLevel?: number;
  rtpTimestamp: number;
}
export type RTCRtpSynchronizationSource = RTCRtpContributingSource;

export interface ReceiverOwner {
  readonly closed: boolean;
  dtlsTransport(record: Binding.DtlsTransportStateRecord | null): RTCDtlsTransport | null;
  getStats(selector: Binding.RtpReceiver): Promise<RTCStatsReport>;
}

const token = Symbol('internal');

export class RTCRtpReceiver {
  readonly #native: Binding.RtpReceiver;
  readonly #owner: ReceiverOwner;
  readonly #track: MediaStreamTrack;
  #jitterBufferTarget: number | null = null;

  constructor(key: symbol, native: Binding.RtpReceiver, owner: ReceiverOwner) {
    if (key !== token) throw new TypeError('Illegal constructor');
    this.#native = native;
    this.#owner = owner;
    const nativeTrack = native.track();
    if (!nativeTrack) throw new Error('libwebrtc made a receiver without a track');
    this.#track = createTrack({ native: nativeTrack, remote: true });
  }

  static getCapabilities(kind: string): RTCRtpCapabilities | null {
    if (arguments.length < 1)
      throw new TypeError("Failed to execute 'getCapabilities' on 'RTCRtpReceiver': 1 argument required.");
    return rtpCapabilities(kind, 'receiver');
  }

  get track(): MediaStreamTrack {
    return this.#track;
  }
  get transport(): RTCDtlsTransport | null {
    if (this.#owner.closed) return null;
    return this.#owner.dtlsTransport(this.#native.transport());
  }
  /** Milliseconds (spec): what the jitter buffer should hold; null for libwebrtc's own choice. */
  get jitterBufferTarget(): number | null {
    return this.#jitterBufferTarget;
  }
  set jitterBufferTarget(value: number | null) {
    if (value === null) {
      this.#jitterBufferTarget = null;
      if (!this.#owner.closed) this.#native.setJitterBufferTarget(null);
      return;
    }
    const ms = Number(value);
    if (!Number.isFinite(ms)) throw new TypeError('jitterBufferTarget must be a finite number or null.');
    if (ms < 0 || ms > 4000) throw new RangeError('jitterBufferTarget must be between 0 and 4000 ms.');
    this.#jitterBufferTarget = ms;
    if (!this.#owner.closed) this.#native.setJitterBufferTarget(ms);
  }

  getParameters(): RTCRtpParameters {
    const record = this.#owner.closed ? null : this.#native.getParameters();
    return (record ?? { headerExtensions: [], rtcp: {}, codecs: [] }) as RTCRtpParameters;
  }
  getSynchronizationSources(): RTCRtpSynchronizationSource[] {
    return this.#sources('ssrc');
  }
  getContributingSources(): RTCRtpContributingSource[] {
    return this.#sources('csrc');
  }
  getStats(): Promise<RTCStatsReport> {
    return this.#owner.getStats(this.#native);
  }

  #sources(type: 'ssrc' | 'csrc'): RTCRtpContributingSource[] {
    if (this.#owner.closed) return [];
    return this.#native
      .getSources()
      .filter((s) => s.type === type)
      .map((s) => {
        const out: RTCRtpContributingSource = {
          timestamp: s.timestamp,
          source: s.source,
          rtpTimestamp: s.rtpTimestamp,
        };
        if (s.audioLevel !== undefined) out.audioLevel = s.audioLevel;
        return out;
      });
  }

  static native(receiver: RTCRtpReceiver): Binding.RtpReceiver {
    return receiver.#native;
  }
}
exposeInterface(RTCRtpReceiver, 'RTCRtpReceiver');

export function createReceiver(native: Binding.RtpReceiver, owner: ReceiverOwner): RTCRtpReceiver {
  return new RTCRtpReceiver(token, native, owner);
}
