// https://w3c.github.io/webrtc-pc/#rtcsessiondescription-class

import {
  constructContext,
  exposeInterface,
  inspectCustom,
  type InspectFunction,
  memberContext,
  missingMember,
  requireArguments,
  toDictionary,
  toDOMString,
  toEnum,
} from './webidl-values.js';

export type RTCSdpType = 'offer' | 'pranswer' | 'answer' | 'rollback';

export interface RTCSessionDescriptionInit {
  type: RTCSdpType;
  sdp?: string;
}

const sdpTypes: readonly RTCSdpType[] = ['offer', 'pranswer', 'answer', 'rollback'];

/**
 * An immutable `{ type, sdp }` pair.
 *
 * Follows the spec where Chromium keeps legacy behaviour: `type` is required (Chromium 156
 * still accepts `new RTCSessionDescription()` and gives `type === null`), and both attributes
 * are read-only (Chromium still has setters: SDP-munging code that assigns `desc.sdp = …` on an
 * instance works there and silently does nothing here, or throws in strict mode).
 */
export class RTCSessionDescription {
  readonly #type: RTCSdpType;
  readonly #sdp: string;

  constructor(descriptionInitDict: RTCSessionDescriptionInit) {
    const context = constructContext('RTCSessionDescription');
    requireArguments(arguments.length, 1, context);
    const dict = toDictionary(descriptionInitDict, 'RTCSessionDescriptionInit', context);
    // Dictionary members are read in lexicographic order: sdp, then type.
    const rawSdp = dict.sdp;
    const sdp = rawSdp === undefined ? '' : toDOMString(rawSdp);
    const rawType = dict.type;
    if (rawType === undefined) {
      throw missingMember(context, 'type', 'RTCSessionDescriptionInit');
    }
    this.#type = toEnum(rawType, sdpTypes, 'RTCSdpType', memberContext(context, 'type', 'RTCSessionDescriptionInit'));
    this.#sdp = sdp;
  }

  get type(): RTCSdpType {
    return this.#type;
  }

  get sdp(): string {
    return this.#sdp;
  }

  toJSON(): RTCSessionDescriptionInit {
    return { type: this.#type, sdp: this.#sdp };
  }

  [inspectCustom](_depth: number, options: unknown, inspect: InspectFunction): string {
    return `RTCSessionDescription ${inspect(this.toJSON(), options)}`;
  }
}
exposeInterface(RTCSessionDescription, 'RTCSessionDescription');
