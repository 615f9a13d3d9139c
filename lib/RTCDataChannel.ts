// RTCDataChannel (W3C webrtc-pc §6.2) over native/peer/rtc_data_channel.cc.
import type { Binding } from './binding.js';
import { RTCError, domException, fromRecord } from './errors.js';
import { defineEventHandlers } from './event-target.js';
import { RTCErrorEvent, type ErrorEventView } from './events.js';
import { enumValue } from './webidl-values.js';

export type RTCDataChannelState = Binding.DataChannelState;
export type RTCPriorityType = 'very-low' | 'low' | 'medium' | 'high';
export type BinaryType = 'blob' | 'arraybuffer';

type ChannelEvent = Extract<Binding.PeerConnectionEvent, { type: 'channelstate' | 'message' | 'bufferedamountlow' }>;

interface Owner {
  readonly sctp: { readonly maxMessageSize: number } | null;
}

const token = Symbol('internal');
/** libwebrtc's bound on what a channel may buffer (SctpDataChannel's kMaxQueuedSendDataBytes). */
const MAX_BUFFERED_AMOUNT = 16 * 1024 * 1024;
type Handler<E extends Event = Event> = ((this: any, ev: E) => any) | null;

export class RTCDataChannel extends EventTarget {
  readonly #native: Binding.DataChannel;
  readonly #owner: Owner;
  readonly #label: string;
  readonly #ordered: boolean;
  readonly #maxPacketLifeTime: number | null;
  readonly #maxRetransmits: number | null;
  readonly #protocol: string;
  readonly #negotiated: boolean;
  readonly #priority: RTCPriorityType;
  #id: number | null;
  #readyState: RTCDataChannelState;
  #binaryType: BinaryType = 'arraybuffer';
  #bufferedAmountLowThreshold = 0;
  #closeRequested = false;
  #openAnnounced = false;
  // Blobs are read asynchronously; sends after one wait behind it to keep their order.
  #blobQueue: Promise<void> | null = null;
  #pendingBlobBytes = 0;
  #lastBufferedAmount = 0;
  // bufferedAmount as this task sees it: read from native once per task, plus what this task
  // sent. The signaling thread drains concurrently, but the spec has decreases land in later
  // tasks, so code that sends and then reads sees every byte it queued.
  #taskBufferedAmount: number | null = null;

  declare onopen: Handler;
  declare onbufferedamountlow: Handler;
  declare onerror: Handler<ErrorEventView>;
  declare onclosing: Handler;
  declare onclose: Handler;
  declare onmessage: Handler<MessageEvent>;

  /**
   * `announced`: the remote side opened it (ondatachannel). Such a channel is 'open' from the
   * start and its open event follows the datachannel event (spec §6.2, "announce the data
   * channel as open"); a channel we create starts 'connecting', whatever libwebrtc says.
   */
  constructor(key: symbol, native: Binding.DataChannel, owner: Owner, announced: boolean) {
    super();
    if (key !== token) throw new TypeError('Illegal constructor');
    this.#native = native;
    this.#owner = owner;
    const info = native.info();
    this.#label = info.label ?? '';
    this.#ordered = info.ordered ?? true;
    this.#maxPacketLifeTime = info.maxPacketLifeTime ?? null;
    this.#maxRetransmits = info.maxRetransmits ?? null;
    this.#protocol = info.protocol ?? '';
    this.#negotiated = info.negotiated ?? false;
    this.#priority = info.priority ?? 'low';
    this.#id = info.id ?? null;
    this.#readyState =
      info.state === 'closing' || info.state === 'closed' ? info.state : announced ? 'open' : 'connecting';
  }

  get label(): string {
    return this.#label;
  }
  get ordered(): boolean {
    return this.#ordered;
  }
  get maxPacketLifeTime(): number | null {
    return this.#maxPacketLifeTime;
  }
  get maxRetransmits(): number | null {
    return this.#maxRetransmits;
  }
  get protocol(): string {
    return this.#protocol;
  }
  get negotiated(): boolean {
    return this.#negotiated;
  }
  get id(): number | null {
    return this.#id;
  }
  get priority(): RTCPriorityType {
    return this.#priority;
  }
  get readyState(): RTCDataChannelState {
    return this.#readyState;
  }
  get bufferedAmount(): number {
    // Kept after close, as the spec says; libwebrtc forgets it then.
    if (this.#readyState === 'closed') return this.#lastBufferedAmount + this.#pendingBlobBytes;
    return this.#bufferedThisTask() + this.#pendingBlobBytes;
  }

  #bufferedThisTask(): number {
    if (this.#taskBufferedAmount === null) {
      this.#taskBufferedAmount = this.#native.bufferedAmount();
      setImmediate(() => {
        this.#taskBufferedAmount = null;
      });
    }
    return this.#taskBufferedAmount;
  }
  get bufferedAmountLowThreshold(): number {
    return this.#bufferedAmountLowThreshold;
  }
  set bufferedAmountLowThreshold(value: number) {
    // WebIDL `unsigned long` without [EnforceRange]: ToUint32, wrapping as browsers do.
    this.#bufferedAmountLowThreshold = Number(value) >>> 0;
    const threshold = this.#bufferedAmountLowThreshold;
    this.#native.setBufferedAmountLowThreshold(
      threshold,
      this.#readyState !== 'closed' && this.bufferedAmount > threshold,
    );
  }
  get binaryType(): BinaryType {
    return this.#binaryType;
  }
  set binaryType(value: BinaryType) {
    // An unknown value is ignored, as for WebSocket.binaryType.
    try {
      this.#binaryType = enumValue(value, ['blob', 'arraybuffer'] as const, this.#binaryType, 'BinaryType');
    } catch {
      /* ignored */
    }
  }

  send(data: string | Blob | ArrayBuffer | ArrayBufferView): void {
    if (arguments.length < 1) throw new TypeError("Failed to execute 'send' on 'RTCDataChannel': 1 argument required.");
    if (this.#readyState !== 'open') {
      // Chromium's wording: code in the wild (node-webrtc's tests among it) matches on it.
      throw domException(
        'InvalidStateError',
        "Failed to execute 'send' on 'RTCDataChannel': RTCDataChannel.readyState is not 'open'",
      );
    }
    let payload: string | ArrayBufferView | Blob;
    let size: number;
    const shared =
      typeof SharedArrayBuffer !== 'undefined' &&
      (data instanceof SharedArrayBuffer || (ArrayBuffer.isView(data) && data.buffer instanceof SharedArrayBuffer));
    if (shared) {
      // WebIDL: send()'s buffer arguments are not [AllowShared] (Chromium's wording).
      throw new TypeError(
        "Failed to execute 'send' on 'RTCDataChannel': The provided ArrayBuffer value must not be shared.",
      );
    }
    if (typeof data === 'string') {
      payload = data;
      size = Buffer.byteLength(data);
    } else if (ArrayBuffer.isView(data)) {
      payload = data;
      size = data.byteLength;
    } else if (data instanceof ArrayBuffer) {
      payload = new Uint8Array(data);
      size = data.byteLength;
    } else if (typeof Blob !== 'undefined' && data instanceof Blob) {
      payload = data;
      size = data.size;
    } else {
      payload = String(data);
      size = Buffer.byteLength(payload);
    }
    const max = this.#owner.sctp?.maxMessageSize ?? 65536;
    if (size > max) throw new TypeError(`The message is ${size} bytes; the maximum is ${max}.`);
    if (this.bufferedAmount + size > MAX_BUFFERED_AMOUNT) {
      // As Chromium: the queue is bounded, and the caller learns it at once.
      throw domException('OperationError', 'RTCDataChannel send queue is full.');
    }

    if (payload instanceof Blob || this.#blobQueue) {
      this.#pendingBlobBytes += size;
      const previous = this.#blobQueue ?? Promise.resolve();
      const bytes = payload instanceof Blob ? payload.arrayBuffer() : null;
      const item = payload;
      const queued = previous.then(async () => {
        const body = bytes ? new Uint8Array(await bytes) : item;
        this.#pendingBlobBytes -= size;
        if (this.#readyState === 'open')
          this.#sendNow(body as string | ArrayBufferView, typeof body !== 'string', size);
      });
      this.#blobQueue = queued;
      queued.finally(() => {
        if (this.#blobQueue === queued) this.#blobQueue = null;
      });
      return;
    }
    this.#sendNow(payload as string | ArrayBufferView, typeof payload !== 'string', size);
  }

  #sendNow(payload: string | ArrayBufferView, binary: boolean, size: number): void {
    const before = this.#bufferedThisTask();
    const after = before + size;
    // Crossing above the threshold makes one bufferedamountlow owed for when the amount falls
    // back. Native fires it; it is armed here because only this thread sees the crossing.
    const threshold = this.#bufferedAmountLowThreshold;
    this.#native.send(payload, binary, before <= threshold && after > threshold);
    this.#taskBufferedAmount = after;
  }

  close(): void {
    if (this.#readyState === 'closing' || this.#readyState === 'closed') return;
    this.#closeRequested = true;
    this.#readyState = 'closing';
    this.#native.close();
  }

  static deliver(channel: RTCDataChannel, event: ChannelEvent): void {
    channel.#onEvent(event);
  }

  /** After the datachannel event: its open event, unless the handler closed it. */
  static announceOpen(channel: RTCDataChannel): void {
    if (channel.#readyState !== 'open' || channel.#openAnnounced) return;
    channel.#openAnnounced = true;
    channel.dispatchEvent(new Event('open'));
  }

  /**
   * The connection closed: 'closed' at once, as the spec says. Then, as Chromium (and code
   * written for it, which cleans up in onclose) expects, 'closing' (if it was open) and
   * 'close' in a later task — the only events a closed connection's objects still fire.
   */
  static closeAbruptly(channel: RTCDataChannel): void {
    const was = channel.#readyState;
    if (was === 'closed') return;
    channel.#lastBufferedAmount = channel.#native.bufferedAmount();
    channel.#readyState = 'closed';
    setImmediate(() => {
      if (was === 'open') channel.dispatchEvent(new Event('closing'));
      channel.dispatchEvent(new Event('close'));
    });
  }

  #onEvent(event: ChannelEvent): void {
    if (this.#readyState === 'closed') return;
    // Each event is a task of its own: bufferedAmount is read afresh in it.
    this.#taskBufferedAmount = null;
    switch (event.type) {
      case 'message': {
        let data: string | ArrayBuffer | Blob = event.data;
        if (typeof data !== 'string' && this.#binaryType === 'blob') data = new Blob([data]);
        this.dispatchEvent(new MessageEvent('message', { data }));
        break;
      }
      case 'bufferedamountlow': {
        // Native fired when its amount fell to the threshold, but this thread may have sent
        // more since: the event stands only if the amount this task sees is still low. If
        // not, it is owed again for when the amount does fall.
        const threshold = this.#bufferedAmountLowThreshold;
        if (this.bufferedAmount > threshold) {
          this.#native.setBufferedAmountLowThreshold(threshold, true);
          break;
        }
        this.dispatchEvent(new Event('bufferedamountlow'));
        break;
      }
      case 'channelstate':
        if (event.id !== null) this.#id = event.id;
        if (event.state === 'open') {
          if (this.#openAnnounced || (this.#readyState !== 'connecting' && this.#readyState !== 'open')) break;
          this.#readyState = 'open';
          this.#openAnnounced = true;
          this.dispatchEvent(new Event('open'));
        } else if (event.state === 'closing') {
          if (this.#readyState === 'closing') break;
          this.#readyState = 'closing';
          if (!this.#closeRequested) this.dispatchEvent(new Event('closing'));
        } else if (event.state === 'closed') {
          this.#lastBufferedAmount = 0;
          this.#readyState = 'closed';
          if (event.error) {
            // libwebrtc says why (e.g. 'sctp-failure' with the SCTP cause code of an ABORT).
            const record = { ...event.error, errorDetail: event.error.errorDetail ?? 'data-channel-failure' };
            const error = fromRecord(record);
            if (error instanceof RTCError) this.dispatchEvent(new RTCErrorEvent('error', { error }));
          }
          this.dispatchEvent(new Event('close'));
        }
        break;
    }
  }
}

defineEventHandlers(RTCDataChannel, ['open', 'bufferedamountlow', 'error', 'closing', 'close', 'message']);

export function createDataChannelObject(native: Binding.DataChannel, owner: Owner, announced: boolean): RTCDataChannel {
  return new RTCDataChannel(token, native, owner, announced);
}

export function announceOpen(channel: RTCDataChannel): void {
  RTCDataChannel.announceOpen(channel);
}

export function deliverChannelEvent(channel: RTCDataChannel, event: ChannelEvent): void {
  RTCDataChannel.deliver(channel, event);
}

export function closeChannel(channel: RTCDataChannel): void {
  RTCDataChannel.closeAbruptly(channel);
}
