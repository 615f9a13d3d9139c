// The spec's SelectSettings (lib/constraints.ts) on capability lists like real cameras'. No
// camera exists on the test machines, so the choice getUserMedia({ video }) makes among a
// camera's modes is tested here, on the lists libwebrtc's V4L2 device info gives; the device
// path itself is the same as the screen's and microphone's (test/devices.test.ts).
import * as assert from 'node:assert/strict';
import type * as Binding from '../binding.js';
import { OverconstrainedError, checkConstraintSet, selectSettings, settle } from '../lib/constraints.js';
import { chooseCamera } from '../lib/mediaDevices.js';

/** A camera as listCameras() reports one: libwebrtc's modes, largest first as V4L2 lists them. */
function camera(deviceId: string, sizes: [number, number, number][]): Binding.CameraRecord {
  return {
    deviceId,
    label: `Camera ${deviceId}`,
    groupId: `group-${deviceId}`,
    modes: sizes.map(([width, height, frameRate]) => ({ width, height, frameRate })),
  };
}

const webcam = camera('usb-0000:00:14.0-1', [
  [1920, 1080, 15],
  [1280, 720, 30],
  [800, 600, 30],
  [640, 480, 30],
  [320, 240, 30],
]);
const hdOnly = camera('usb-0000:00:14.0-2', [
  [1280, 720, 30],
  [1920, 1080, 30],
]);

function choose(constraints: Record<string, unknown>, cameras = [webcam]) {
  const { camera: c, mode, frameRate } = chooseCamera(constraints, cameras);
  return `${c.deviceId === webcam.deviceId ? 'webcam' : 'hd'} ${mode.width}x${mode.height}@${mode.frameRate} ${frameRate}`;
}

function overconstrained(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof OverconstrainedError, String(error));
    assert.equal((error as Error).name, 'OverconstrainedError');
    return (error as OverconstrainedError).constraint;
  }
  assert.fail('no OverconstrainedError');
}

describe('constraints: a camera chosen by SelectSettings', () => {
  it('with no constraints: 640x480 at 30 fps, as Chromium (natural settings break ties)', () => {
    assert.equal(choose({}), 'webcam 640x480@30 30');
    assert.equal(choose({}, [hdOnly]), 'hd 1280x720@30 30', 'the nearest to 640x480 when it has none');
  });

  it('bare values and ideal are preferences: the nearest mode wins', () => {
    assert.equal(choose({ width: 1280 }), 'webcam 1280x720@30 30');
    assert.equal(choose({ width: { ideal: 1900 }, height: { ideal: 1000 } }), 'webcam 1920x1080@15 15');
    assert.equal(choose({ width: 790, height: 590 }), 'webcam 800x600@30 30');
    assert.equal(choose({ width: 4000 }), 'webcam 1920x1080@15 15', 'too wide for any mode: the widest, no error');
    assert.equal(
      choose({ aspectRatio: 16 / 9 }),
      'webcam 1280x720@30 30',
      'of the 16:9 modes, the nearest to 640x480 at 30',
    );
  });

  it('exact, min and max are requirements; the fitness distance chooses among what meets them', () => {
    assert.equal(choose({ width: { exact: 320 } }), 'webcam 320x240@30 30');
    assert.equal(
      choose({ width: { min: 700 } }),
      'webcam 800x600@30 30',
      'of those wide enough, the nearest to the default',
    );
    assert.equal(choose({ width: { min: 700 }, frameRate: { min: 20 } }), 'webcam 800x600@30 30');
    assert.equal(choose({ height: { min: 1000 } }), 'webcam 1920x1080@15 15');
    assert.equal(choose({ width: { max: 400 } }), 'webcam 320x240@30 30');
    assert.equal(choose({ aspectRatio: { exact: 16 / 9 } }), 'webcam 1280x720@30 30');
    assert.equal(
      choose({ width: { min: 1000, ideal: 1920 }, frameRate: { ideal: 30 } }),
      'webcam 1280x720@30 30',
      'the frame rate counts as much as the width',
    );
    assert.equal(choose({ width: { min: 1000, ideal: 1920 }, height: 1080 }), 'webcam 1920x1080@15 15');
  });

  it('a frame rate below the mode is the track’s own (the camera runs at its mode, frames thinned)', () => {
    assert.equal(choose({ frameRate: 10 }), 'webcam 640x480@30 10');
    assert.equal(choose({ frameRate: { max: 5 } }), 'webcam 640x480@30 5');
    assert.equal(choose({ frameRate: { exact: 24 }, width: 1280 }), 'webcam 1280x720@30 24');
    assert.equal(choose({ frameRate: { min: 20 }, height: { min: 1000 } }, [webcam, hdOnly]), 'hd 1920x1080@30 30');
  });

  it('OverconstrainedError names the constraint no mode meets', () => {
    assert.equal(
      overconstrained(() => chooseCamera({ width: { exact: 1000 } }, [webcam])),
      'width',
    );
    assert.equal(
      overconstrained(() => chooseCamera({ frameRate: { min: 60 } }, [webcam])),
      'frameRate',
    );
    assert.equal(
      overconstrained(() => chooseCamera({ height: { min: 1000 }, frameRate: { min: 20 } }, [webcam])),
      'frameRate',
    );
    assert.equal(
      overconstrained(() => chooseCamera({ deviceId: { exact: 'nope' } }, [webcam])),
      'deviceId',
    );
    // V4L2 does not say which way a camera faces: facingMode required is unmet, preferred is moot.
    assert.equal(
      overconstrained(() => chooseCamera({ facingMode: { exact: 'user' } }, [webcam])),
      'facingMode',
    );
    assert.equal(choose({ facingMode: 'user' }), 'webcam 640x480@30 30');
  });

  it('deviceId and groupId choose among cameras; a preferred one that is absent is no error', () => {
    assert.equal(choose({ deviceId: hdOnly.deviceId }, [webcam, hdOnly]), 'hd 1280x720@30 30');
    assert.equal(choose({ deviceId: { exact: [hdOnly.deviceId, 'other'] } }, [webcam, hdOnly]), 'hd 1280x720@30 30');
    assert.equal(choose({ groupId: { exact: `group-${webcam.deviceId}` } }, [hdOnly, webcam]), 'webcam 640x480@30 30');
    assert.equal(choose({ deviceId: 'gone' }, [webcam, hdOnly]), 'webcam 640x480@30 30');
  });

  it('advanced sets narrow the choice in order, each skipped when nothing meets it', () => {
    assert.equal(choose({ advanced: [{ width: 1920 }, { width: 320 }] }), 'webcam 1920x1080@15 15');
    assert.equal(choose({ advanced: [{ width: 1000 }, { width: 320 }] }), 'webcam 320x240@30 30');
    assert.equal(
      choose({ width: { min: 700 }, advanced: [{ height: 240 }] }),
      'webcam 800x600@30 30',
      'advanced cannot undo a requirement',
    );
  });

  it('an open camera keeps its running mode when it satisfies the new request', () => {
    const running = webcam.modes[1]!; // 1280x720@30
    const open = (id: string) => (id === webcam.deviceId ? running : undefined);
    assert.equal(chooseCamera({}, [webcam], open).mode, running);
    assert.equal(chooseCamera({ width: { max: 1280 } }, [webcam], open).mode, running);
    // Only another mode fits: that one is chosen (getUserMedia then refuses: NotReadableError).
    assert.deepEqual(chooseCamera({ width: { exact: 320 } }, [webcam], open).mode, webcam.modes[4]);
  });
});

describe('constraints: SelectSettings and the dictionary checks', () => {
  it('ranges and lists as candidate values; settle() clamps the ideal into the range', () => {
    const candidates = [
      {
        name: 'a',
        sampleRate: { min: 8000, max: 48000 },
        echoCancellation: [true, false],
        channelCount: { min: 1, max: 2 },
      },
      { name: 'b', sampleRate: { min: 8000, max: 16000 }, echoCancellation: [true], channelCount: { min: 1, max: 1 } },
    ];
    assert.equal(selectSettings({ echoCancellation: { exact: false } }, candidates).name, 'a');
    assert.equal(
      selectSettings({ sampleRate: { max: 16000 }, channelCount: 1 }, candidates).name,
      'a',
      'a tie: the first',
    );
    assert.equal(selectSettings({ channelCount: { exact: 2 } }, candidates).name, 'a');
    assert.equal(selectSettings({ sampleRate: 96000 }, candidates).name, 'a', 'nearer to the ideal');
    assert.equal(settle(candidates[0]!, 'sampleRate', { sampleRate: 96000 }, 48000), 48000);
    assert.equal(settle(candidates[0]!, 'sampleRate', { sampleRate: { ideal: 22050, max: 16000 } }, 48000), 16000);
    assert.equal(settle(candidates[0]!, 'sampleRate', {}, 44100), 44100);
    assert.equal(
      overconstrained(() => selectSettings({ sampleRate: { min: 50000 } }, candidates)),
      'sampleRate',
    );
  });

  it('unknown constraints are ignored; a dictionary that is not one is a TypeError; min above max is overconstrained', () => {
    assert.equal(selectSettings({ torch: { exact: true } }, [{ name: 'x' }]).name, 'x');
    assert.throws(() => checkConstraintSet(5, 'video'), TypeError);
    assert.throws(() => checkConstraintSet({ width: { exactly: 5 } }, 'video'), TypeError);
    assert.throws(() => checkConstraintSet({ advanced: {} }, 'video'), TypeError);
    assert.equal(
      overconstrained(() => checkConstraintSet({ width: { min: 10, max: 5 } }, 'video')),
      'width',
    );
    assert.deepEqual(checkConstraintSet(true, 'video'), {});
  });
});
