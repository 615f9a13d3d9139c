// RTCRtpTransceiver (W3C webrtc-pc §5.4) over native/media/rtc_rtp_transceiver.cc, with its
// RTCRtpSender and RTCRtpReceiver (made once, with it).
import type { Binding } from './binding.js';
import { domException, fromRecord } from './errors.js';
import { createReceiver, type RTCRtpReceiver } from './RTCRtpReceiver.js';
import { createSender, rtpCapabilities, type RTCRtpCodec, type RTCRtpSender } from './RTCRtpSender.js';
import type { RTCDtlsTransport } from './RTCSctpTransport.js';
import type { RTCStatsReport } from './RTCStatsReport.js';
import { dictionary, exposeInterface, toSequence } from './webidl-values.js';

export type RTCRtpTransceiverDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive' | 'stopped';

const DIRECTIONS = ['sendrecv', 'sendonly', 'recvonly', 'inactive', 'stopped'];
const token = Symbol('internal');

/** What a transceiver needs from its connection. */
export interface TransceiverOwner {
  readonly signalingState: string;
  readonly connectionState: string;
  chain<T>(operation: () => Promise<T>): Promise<T>;
  dtlsTransport(record: Binding.DtlsTransportStateRecord | null): RTCDtlsTransport | null;
  getStats(selector: Binding.RtpSender | Binding.RtpReceiver): Promise<RTCStatsReport>;
}

export class RTCRtpTransceiver {
  readonly #native: Binding.RtpTransceiver;
  readonly #owner: TransceiverOwner;
  readonly #sender: RTCRtpSender;
  readonly #receiver: RTCRtpReceiver;
  #closed = false;

  constructor(key: symbol, native: Binding.RtpTransceiver, owner: TransceiverOwner) {
    if (key !== token) throw new TypeError('Illegal constructor');
    this.#native = native;
    this.#owner = owner;
    const self = this;
    const shared = {
      get closed() {
        return self.#closed || owner.signalingState === 'closed';
      },
      get stopped() {
        return self.#closed || native.stopped() || native.direction() === 'stopped';
      },
      get currentDirection() {
        return self.currentDirection;
      },
      get connectionState() {
        return owner.connectionState;
      },
      chain: <T>(operation: () => Promise<T>) => owner.chain(operation),
      dtlsTransport: (record: Binding.DtlsTransportStateRecord | null) => owner.dtlsTransport(record),
      getStats: (selector: Binding.RtpSender | Binding.RtpReceiver) => owner.getStats(selector),
    };
    this.#sender = createSender(native.sender(), shared, native.kind());
    this.#receiver = createReceiver(native.receiver(), shared);
  }

  get mid(): string | null {
    return this.#native.mid();
  }
  get sender(): RTCRtpSender {
    return this.#sender;
  }
  get receiver(): RTCRtpReceiver {
    return this.#receiver;
  }
  get direction(): RTCRtpTransceiverDirection {
    return this.#native.direction();
  }
  set direction(value: RTCRtpTransceiverDirection) {
    // WebIDL: assigning a value outside the enum to an attribute is ignored.
    if (!DIRECTIONS.includes(String(value))) return;
    const direction = String(value) as RTCRtpTransceiverDirection;
    if (this.#closed || this.#owner.signalingState === 'closed') {
      throw domException('InvalidStateError', 'The RTCPeerConnection is closed.');
    }
    if (this.#native.stopped() || this.#native.direction() === 'stopped') {
      throw domException('InvalidStateError', 'The transceiver is stopped.');
    }
    if (direction === 'stopped') throw new TypeError("'stopped' cannot be set; call stop().");
    const error = this.#native.setDirection(direction);
    if (error) throw fromRecord(error);
  }
  get currentDirection(): RTCRtpTransceiverDirection | null {
    if (this.#closed) return 'stopped';
    return this.#native.currentDirection();
  }
  /** Non-standard but in lib.dom's older shape and node-webrtc: whether stop() took effect. */
  get stopped(): boolean {
    return this.#closed || this.#native.stopped();
  }
  stop(): void {
    if (this.#closed || this.#owner.signalingState === 'closed') {
      throw domException('InvalidStateError', 'The RTCPeerConnection is closed.');
    }
    const error = this.#native.stop();
    if (error) throw fromRecord(error);
  }
  /**
   * Spec §5.4: every codec must be one RTCRtpReceiver.getCapabilities(kind) lists (mimeType
   * case-insensitively, clockRate, channels, sdpFmtpLine), and not only resiliency codecs;
   * InvalidModificationError otherwise. An empty list restores libwebrtc's order.
   */
  setCodecPreferences(codecs: RTCRtpCodec[]): void {
    if (arguments.length < 1)
      throw new TypeError("Failed to execute 'setCodecPreferences' on 'RTCRtpTransceiver': 1 argument required.");
    const list = toSequence(
      codecs,
      (c) => dictionary(c, 'RTCRtpCodec') as unknown as RTCRtpCodec,
      "Failed to execute 'setCodecPreferences' on 'RTCRtpTransceiver'",
    );
    const capabilities = rtpCapabilities(this.#native.kind(), 'receiver')!.codecs;
    const key = (c: RTCRtpCodec) =>
      `${String(c.mimeType).toLowerCase()}|${c.clockRate}|${c.channels ?? ''}|${c.sdpFmtpLine ?? ''}`;
    const known = new Set(capabilities.map(key));
    for (const codec of list) {
      if (
        typeof codec !== 'object' ||
        codec === null ||
        codec.mimeType === undefined ||
        codec.clockRate === undefined
      ) {
        throw new TypeError('Each codec needs a mimeType and a clockRate.');
      }
      if (!known.has(key(codec))) {
        throw domException(
          'InvalidModificationError',
          `${codec.mimeType} (${codec.clockRate}) is not in RTCRtpReceiver.getCapabilities('${this.#native.kind()}').`,
        );
      }
    }
    const resiliency = /\/(rtx|red|ulpfec|flexfec-03)$/i;
    if (list.length > 0 && list.every((c) => resiliency.test(c.mimeType))) {
      throw domException('InvalidModificationError', 'The preferences list only resiliency codecs (RTX, RED, FEC).');
    }
    if (this.#closed || this.#owner.signalingState === 'closed')
      throw domException('InvalidStateError', 'The RTCPeerConnection is closed.');
    const error = this.#native.setCodecPreferences(
      list.map((c) => {
        const record: Binding.RtpCodecRecord = { mimeType: String(c.mimeType), clockRate: Number(c.clockRate) };
        if (c.channels !== undefined) record.channels = Number(c.channels);
        if (c.sdpFmtpLine !== undefined) record.sdpFmtpLine = String(c.sdpFmtpLine);
        return record;
      }),
    );
    if (error)
      throw fromRecord(error.name === 'InvalidAccessError' ? { ...error, name: 'InvalidModificationError' } : error);
  }
  /** The media kind; not in the spec's IDL, handy and in node-webrtc. */
  get kind(): 'audio' | 'video' {
    return this.#native.kind();
  }

  static native(transceiver: RTCRtpTransceiver): Binding.RtpTransceiver {
    return transceiver.#native;
  }
  static detach(transceiver: RTCRtpTransceiver): void {
    transceiver.#closed = true;
  }
}
exposeInterface(RTCRtpTransceiver, 'RTCRtpTransceiver');

export function createTransceiverObject(native: Binding.RtpTransceiver, owner: TransceiverOwner): RTCRtpTransceiver {
  return new RTCRtpTransceiver(token, native, owner);
}

export function detachTransceiver(transceiver: RTCRtpTransceiver): void {
  RTCRtpTransceiver.detach(transceiver);
}
