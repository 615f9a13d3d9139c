// MediaStream (W3C mediacapture-streams §4.2): a set of tracks with an id. Plain JS: libwebrtc
// knows streams only as ids on senders and receivers. Remote streams are made by
// RTCPeerConnection, one per remote stream id, and fire addtrack/removetrack when a remote
// description changes what they hold.
import { randomUUID } from 'node:crypto';
import { defineEventHandlers } from './event-target.js';
import { type MediaStreamTrack, isMediaStreamTrack } from './MediaStreamTrack.js';
import { elementOf, exposeInterface, toSequence } from './webidl-values.js';

type Handler<E extends Event = Event> = ((this: any, ev: E) => any) | null;

export interface MediaStreamTrackEventInit {
  bubbles?: boolean;
  cancelable?: boolean;
  composed?: boolean;
  track: MediaStreamTrack;
}

/** https://w3c.github.io/mediacapture-main/#mediastreamtrackevent */
export class MediaStreamTrackEvent extends Event {
  readonly #track: MediaStreamTrack;
  constructor(type: string, eventInitDict: MediaStreamTrackEventInit) {
    if (arguments.length < 2) {
      throw new TypeError("Failed to construct 'MediaStreamTrackEvent': 2 arguments required.");
    }
    const track = eventInitDict?.track;
    if (!isMediaStreamTrack(track)) {
      throw new TypeError(
        "Failed to construct 'MediaStreamTrackEvent': Failed to read the 'track' property from 'MediaStreamTrackEventInit': Failed to convert value to 'MediaStreamTrack'.",
      );
    }
    super(String(type), {
      bubbles: Boolean(eventInitDict.bubbles),
      cancelable: Boolean(eventInitDict.cancelable),
      composed: Boolean(eventInitDict.composed),
    });
    this.#track = track;
  }
  get track(): MediaStreamTrack {
    return this.#track;
  }
}
exposeInterface(MediaStreamTrackEvent, 'MediaStreamTrackEvent');

const internal = Symbol('internal');

export class MediaStream extends EventTarget {
  readonly #id: string;
  // Insertion-ordered: getTracks() lists tracks in the order they were added.
  readonly #tracks = new Set<MediaStreamTrack>();

  declare onaddtrack: Handler<MediaStreamTrackEvent>;
  declare onremovetrack: Handler<MediaStreamTrackEvent>;

  constructor();
  constructor(stream: MediaStream);
  constructor(tracks: MediaStreamTrack[]);
  constructor(streamOrTracks?: unknown, id?: unknown) {
    super();
    // The internal form (a remote stream with its id) passes the symbol second.
    this.#id = streamOrTracks === internal && typeof id === 'string' ? id : randomUUID();
    if (streamOrTracks === undefined || streamOrTracks === internal) return;
    const context = "Failed to construct 'MediaStream'";
    const list =
      streamOrTracks instanceof MediaStream
        ? streamOrTracks.getTracks()
        : toSequence(
            streamOrTracks,
            elementOf(isMediaStreamTrack, `${context}: Failed to convert value to 'MediaStreamTrack'.`),
            context,
          );
    for (const track of list) this.#tracks.add(track);
  }

  get id(): string {
    return this.#id;
  }
  /** Whether any track is live. */
  get active(): boolean {
    for (const track of this.#tracks) if (track.readyState === 'live') return true;
    return false;
  }
  getTracks(): MediaStreamTrack[] {
    return [...this.#tracks];
  }
  getAudioTracks(): MediaStreamTrack[] {
    return this.getTracks().filter((t) => t.kind === 'audio');
  }
  getVideoTracks(): MediaStreamTrack[] {
    return this.getTracks().filter((t) => t.kind === 'video');
  }
  getTrackById(trackId: string): MediaStreamTrack | null {
    if (arguments.length < 1)
      throw new TypeError("Failed to execute 'getTrackById' on 'MediaStream': 1 argument required.");
    const id = String(trackId);
    for (const track of this.#tracks) if (track.id === id) return track;
    return null;
  }
  /** Adds without an event: script did it (spec). */
  addTrack(track: MediaStreamTrack): void {
    if (!isMediaStreamTrack(track)) {
      throw new TypeError(
        "Failed to execute 'addTrack' on 'MediaStream': parameter 1 is not of type 'MediaStreamTrack'.",
      );
    }
    this.#tracks.add(track);
  }
  removeTrack(track: MediaStreamTrack): void {
    if (!isMediaStreamTrack(track)) {
      throw new TypeError(
        "Failed to execute 'removeTrack' on 'MediaStream': parameter 1 is not of type 'MediaStreamTrack'.",
      );
    }
    this.#tracks.delete(track);
  }
  /** A new stream (new id) of clones of every track. */
  clone(): MediaStream {
    return new MediaStream(this.getTracks().map((t) => t.clone()));
  }

  // --- internals for RTCPeerConnection's remote streams -----------------------------------

  static remote(id: string): MediaStream {
    return new (MediaStream as unknown as new (key: symbol, id: string) => MediaStream)(internal, id);
  }
  /** The user agent adds a track (a remote description did): addtrack fires. */
  static addRemoteTrack(stream: MediaStream, track: MediaStreamTrack): void {
    if (stream.#tracks.has(track)) return;
    stream.#tracks.add(track);
    stream.dispatchEvent(new MediaStreamTrackEvent('addtrack', { track }));
  }
  static removeRemoteTrack(stream: MediaStream, track: MediaStreamTrack): void {
    if (!stream.#tracks.delete(track)) return;
    stream.dispatchEvent(new MediaStreamTrackEvent('removetrack', { track }));
  }
}
defineEventHandlers(MediaStream, ['addtrack', 'removetrack']);
exposeInterface(MediaStream, 'MediaStream');
