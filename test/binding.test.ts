// The loaded addon against binding.d.ts, the contract between lib/ and native/.
//
// binding.d.ts is read as text at run time: every `export class X` with its methods and
// readonly properties, and every `export function f`, must exist on the loaded addon with the
// right typeof, and the addon must export nothing (and no class method) that binding.d.ts does
// not declare. So this test fails as soon as the two drift apart, in either direction.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { binding } from '../lib/binding.js';
import { addonPath, packageRoot } from './helpers.js';

interface DeclaredClass {
  name: string;
  methods: string[];
  properties: string[];
  privateConstructor: boolean;
}

interface Contract {
  classes: DeclaredClass[];
  functions: string[];
}

/** The exported classes and functions of a .d.ts, read from its text. */
function parseContract(text: string): Contract {
  const lines = text.split('\n');
  const classes: DeclaredClass[] = [];
  const functions: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fn = /^export (?:declare )?function (\w+)\s*[(<]/.exec(line);
    if (fn) functions.push(fn[1]!);
    const cls = /^export (?:declare )?class (\w+)\b.*\{\s*$/.exec(line);
    if (!cls) continue;
    const declared: DeclaredClass = { name: cls[1]!, methods: [], properties: [], privateConstructor: false };
    for (i++; i < lines.length && !/^\}/.test(lines[i]!); i++) {
      const member = lines[i]!;
      // Members sit at two spaces; comments and wrapped parameters do not match.
      if (/^ {2}private constructor\s*\(/.test(member)) {
        declared.privateConstructor = true;
        continue;
      }
      if (/^ {2}constructor\s*\(/.test(member)) continue;
      const method = /^ {2}(\w+)\s*[(<]/.exec(member);
      if (method) {
        if (!declared.methods.includes(method[1]!)) declared.methods.push(method[1]!);
        continue;
      }
      const property = /^ {2}(?:readonly )?(\w+)\??\s*:/.exec(member);
      if (property) declared.properties.push(property[1]!);
    }
    classes.push(declared);
  }
  return { classes, functions };
}

const contractText = fs.readFileSync(path.join(packageRoot, 'binding.d.ts'), 'utf8');
const contract = parseContract(contractText);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const addon = binding as unknown as Record<string, any>;

/** Own names of a prototype that are methods (data properties holding functions). */
function prototypeMethods(ctor: { prototype: object }): string[] {
  return Object.getOwnPropertyNames(ctor.prototype).filter((name) => {
    if (name === 'constructor') return false;
    const d = Object.getOwnPropertyDescriptor(ctor.prototype, name)!;
    return typeof d.value === 'function';
  });
}

describe('binding (the native addon against binding.d.ts)', function () {
  this.timeout(20000);

  it('binding.d.ts parses into classes and functions', () => {
    // Guards the parser itself: if these fail, the checks below would check nothing.
    const names = contract.classes.map((c) => c.name);
    assert.ok(names.includes('PeerConnection'), `classes found: ${names.join(', ')}`);
    assert.ok(contract.functions.includes('runtimeInfo'), `functions found: ${contract.functions.join(', ')}`);
    const pc = contract.classes.find((c) => c.name === 'PeerConnection')!;
    assert.ok(pc.methods.includes('createOffer') && pc.methods.includes('close'));
    assert.ok(!pc.methods.includes('kind'), 'wrapped parameter lines are not methods');
  });

  it('lib/binding.js loads the addon (build/Release unless a prebuild or LIBWEBRTC_NODE_BINARY wins)', () => {
    assert.equal(typeof binding, 'object');
    assert.ok(binding !== null);
    const prebuilds = path.join(packageRoot, 'prebuilds');
    if (!process.env.LIBWEBRTC_NODE_BINARY && !fs.existsSync(prebuilds)) {
      assert.ok(fs.existsSync(addonPath), `${addonPath} exists`);
      assert.equal(binding, require(addonPath), 'the same module object as build/Release/libwebrtc_node.node');
    }
  });

  it('exports exactly the classes and functions binding.d.ts declares', () => {
    const declared = [...contract.classes.map((c) => c.name), ...contract.functions].sort();
    assert.deepEqual(Object.keys(addon).sort(), declared);
  });

  for (const name of contract.functions) {
    it(`function ${name} is a function`, () => {
      assert.equal(typeof addon[name], 'function');
    });
  }

  for (const cls of contract.classes) {
    describe(`class ${cls.name}`, () => {
      it('is a constructor function', () => {
        assert.equal(typeof addon[cls.name], 'function');
        assert.equal(typeof addon[cls.name].prototype, 'object');
      });

      it(`has exactly the declared methods (${cls.methods.join(', ')})`, () => {
        const ctor = addon[cls.name] as { prototype: Record<string, unknown> };
        for (const method of cls.methods) {
          assert.equal(typeof ctor.prototype[method], 'function', `${cls.name}.prototype.${method}`);
        }
        assert.deepEqual(prototypeMethods(ctor).sort(), [...cls.methods].sort(), 'no undeclared methods');
      });

      if (cls.properties.length > 0) {
        it(`has the declared properties (${cls.properties.join(', ')})`, () => {
          const ctor = addon[cls.name] as { prototype: object };
          for (const property of cls.properties) {
            assert.ok(property in ctor.prototype, `${cls.name}.prototype has ${property}`);
          }
        });
      }

      if (cls.privateConstructor) {
        it('cannot be constructed from JavaScript (private constructor): TypeError', () => {
          assert.throws(() => new addon[cls.name](), TypeError);
        });
      }
    });
  }

  describe('working instances match the declared shapes', () => {
    const configuration = {
      iceServers: [],
      iceTransportPolicy: 'all',
      bundlePolicy: 'balanced',
      rtcpMuxPolicy: 'require',
      iceCandidatePoolSize: 0,
      certificates: [],
    };

    it('runtimeInfo() returns {runtime: boolean, peerConnections: number}', () => {
      const info = addon.runtimeInfo();
      assert.deepEqual(Object.keys(info).sort(), ['peerConnections', 'runtime']);
      assert.equal(typeof info.runtime, 'boolean');
      assert.equal(typeof info.peerConnections, 'number');
    });

    it('a PeerConnection makes DataChannel and RtpTransceiver instances with numeric handles', () => {
      const events: unknown[] = [];
      const pc = new addon.PeerConnection(configuration, (event: unknown) => events.push(event));
      try {
        assert.ok(pc instanceof addon.PeerConnection);
        const channel = pc.createDataChannel('x', {
          ordered: true,
          maxPacketLifeTime: -1,
          maxRetransmits: -1,
          protocol: '',
          negotiated: false,
          id: -1,
          priority: 'low',
        });
        assert.ok(channel instanceof addon.DataChannel, 'createDataChannel returns a DataChannel');
        assert.equal(typeof channel.handle, 'number');
        const info = channel.info();
        assert.equal(info.label, 'x');
        assert.equal(info.state, 'connecting');
        const transceiver = pc.addTransceiver('audio', { direction: 'sendrecv', streamIds: [] });
        assert.ok(transceiver instanceof addon.RtpTransceiver, 'addTransceiver returns an RtpTransceiver');
        assert.equal(typeof transceiver.handle, 'number');
        assert.equal(transceiver.kind(), 'audio');
        const list = pc.getTransceivers();
        assert.equal(list.length, 1);
        assert.equal(list[0], transceiver, 'the same wrapper every call');
        assert.equal(addon.runtimeInfo().peerConnections >= 1, true);
      } finally {
        pc.close();
        pc.close(); // idempotent
      }
    });

    it("threadsInfo(): each libwebrtc thread is current to libwebrtc's thread and sequence checks on itself (the PIC TaskQueueBase::Current() shim), the JS thread is no task queue", () => {
      const pc = new addon.PeerConnection(configuration, () => {});
      try {
        assert.deepEqual(addon.threadsInfo(), {
          jsTaskQueue: 'none',
          signaling: true,
          network: true,
          worker: true,
          distinct: true,
        });
      } finally {
        pc.close();
      }
      assert.deepEqual(addon.threadsInfo(), { jsTaskQueue: 'none' }, 'no runtime once the last connection closed');
    });

    it('generateCertificate() resolves with a Certificate', async () => {
      const promise = addon.generateCertificate({ type: 'ecdsa' }, 3600 * 1000);
      assert.ok(promise instanceof Promise);
      const certificate = await promise;
      assert.ok(certificate instanceof addon.Certificate);
      assert.equal(typeof certificate.expires(), 'number');
      assert.ok(Array.isArray(certificate.fingerprints()));
    });
  });
});
