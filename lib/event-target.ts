// The `on<event>` attributes of our EventTarget subclasses, with HTML's event handler semantics
// (https://html.spec.whatwg.org/multipage/webappapis.html#event-handler-attributes), as Chromium
// implements them:
//
// - the getter returns null until something is assigned;
// - the first non-null assignment adds one listener, at that moment's end of the listener list;
//   later assignments replace the handler inside that listener, so it keeps its place relative
//   to addEventListener() listeners;
// - assigning null or any non-object (a string, a number) removes the listener and the getter
//   returns null; assigning again appends a new listener at the end;
// - an object that is not callable is kept (the getter returns it) but never called
//   (WebIDL [LegacyTreatNonObjectAsNull]);
// - the handler runs with `this` = the target; returning `false` calls preventDefault() (a no-op
//   unless the event is cancelable, which ours never are); any other return value is ignored;
// - an exception from the handler is reported like any listener's (Node: 'uncaughtException')
//   and does not stop the other listeners.
//
// A class declares the attributes' types with `declare` so no own field shadows the accessors:
//
//   class RTCPeerConnection extends EventTarget {
//     declare onicecandidate: EventHandler<RTCPeerConnection, RTCPeerConnectionIceEvent>;
//   }
//   defineEventHandlers(RTCPeerConnection, ['icecandidate']);

/**
 * The type of an `on<event>` attribute, as lib.dom writes it. Our classes type `this` as any in
 * theirs: their #private fields make them nominal, and a handler typed `this: OurClass` would
 * keep an instance from being stored where lib.dom's type is expected.
 */
export type EventHandler<T, E extends Event = Event> =
  | ((this: T, ev: E) => any) // eslint-disable-line @typescript-eslint/no-explicit-any
  | null;

interface HandlerSlot {
  /** The handler: a function, or an object that is kept but not called. */
  value: object;
  /** The one listener registered for this handler, until it is set to null. */
  readonly listener: (event: Event) => void;
}

// target → event type → slot. Weak, so a target's handlers go with it; nothing static holds an
// instance (a module instance is per environment, so worker threads have their own).
const slotsByTarget = new WeakMap<object, Map<string, HandlerSlot>>();

// EventTarget's own methods, taken once: HTML adds and removes the handler's listener with the
// internal algorithms, so an override of addEventListener on a subclass or instance must not
// see (or be able to break) it.
const addListener = EventTarget.prototype.addEventListener;
const removeListener = EventTarget.prototype.removeEventListener;

function invokeHandler(target: object, slot: HandlerSlot, event: Event): void {
  const handler = slot.value;
  if (typeof handler !== 'function') return;
  const result: unknown = Reflect.apply(handler, target, [event]);
  if (result === false) event.preventDefault();
}

/**
 * Installs `on<name>` accessors on `ctor.prototype` for each event type in `names` (e.g.
 * `['icecandidate']` gives `onicecandidate`). Enumerable and configurable, like WebIDL
 * attributes; they throw a TypeError ("Illegal invocation") on objects that are not instances.
 */
export function defineEventHandlers(ctor: { prototype: EventTarget }, names: readonly string[]): void {
  const proto = ctor.prototype;
  const checkThis = (self: unknown): EventTarget => {
    if (
      (typeof self !== 'object' && typeof self !== 'function') ||
      self === null ||
      !Object.prototype.isPrototypeOf.call(proto, self)
    ) {
      throw new TypeError('Illegal invocation');
    }
    return self as EventTarget;
  };

  for (const type of names) {
    const key = `on${type}`;
    // An object literal with computed accessor names gives the functions browsers' names
    // ("get onicecandidate", "set onicecandidate").
    const accessors = {
      get [key](): unknown {
        const target = checkThis(this);
        return slotsByTarget.get(target)?.get(type)?.value ?? null;
      },
      set [key](value: unknown) {
        const target = checkThis(this);
        let slots = slotsByTarget.get(target);
        if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
          const existing = slots?.get(type);
          if (existing !== undefined) {
            existing.value = value;
            return;
          }
          if (slots === undefined) {
            slots = new Map();
            slotsByTarget.set(target, slots);
          }
          const slot: HandlerSlot = {
            value,
            listener: (event) => invokeHandler(target, slot, event),
          };
          slots.set(type, slot);
          addListener.call(target, type, slot.listener);
        } else {
          const existing = slots?.get(type);
          if (existing === undefined) return;
          slots!.delete(type);
          removeListener.call(target, type, existing.listener);
        }
      },
    };
    const desc = Object.getOwnPropertyDescriptor(accessors, key)!;
    Object.defineProperty(proto, key, {
      get: desc.get,
      set: desc.set,
      enumerable: true,
      configurable: true,
    });
  }
}
