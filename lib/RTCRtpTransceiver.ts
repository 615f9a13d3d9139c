// RTCRtpTransceiver (W3C webrtc-pc §5.4): enough to negotiate media. Senders, receivers and
// tracks come with the media issue; until then `sender.track` and `receiver.track` are null.
import type { Binding } from './binding.js';
import { fromRecord, domException } from './errors.js';

export type RTCRtpTransceiverDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive' | 'stopped';

const token = Symbol('internal');

interface Owner {
  readonly signalingState: string;
}

export class RTCRtpTransceiver {
  readonly #native: Binding.RtpTransceiver;
  readonly #owner: Owner;
  #closed = false;

  constructor(key: symbol, native: Binding.RtpTransceiver, owner: Owner) {
    if (key !== token) throw new TypeError('Illegal constructor');
    this.#native = native;
    this.#owner = owner;
  }

  get mid(): string | null {
    return this.#native.mid();
  }
  get direction(): RTCRtpTransceiverDirection {
    return this.#native.direction();
  }
  set direction(value: RTCRtpTransceiverDirection) {
    // WebIDL: assigning a value outside the enum to an attribute is ignored.
    if (!(['sendrecv', 'sendonly', 'recvonly', 'inactive', 'stopped'] as unknown[]).includes(String(value))) return;
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
  /** The media kind; not in the spec's IDL, handy and in node-webrtc. */
  get kind(): 'audio' | 'video' {
    return this.#native.kind();
  }

  static detach(transceiver: RTCRtpTransceiver): void {
    transceiver.#closed = true;
  }
}

export function createTransceiverObject(native: Binding.RtpTransceiver, owner: Owner): RTCRtpTransceiver {
  return new RTCRtpTransceiver(token, native, owner);
}

export function detachTransceiver(transceiver: RTCRtpTransceiver): void {
  RTCRtpTransceiver.detach(transceiver);
}
