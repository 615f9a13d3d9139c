import assert from 'node:assert/strict';
import {
  createGatheredIceCandidate,
  isRTCIceCandidate,
  parseCandidateAttribute,
  RTCIceCandidate,
  type RTCIceCandidateInit,
} from '../lib/RTCIceCandidate.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const Ctor = RTCIceCandidate as any;

const derived = [
  'foundation',
  'component',
  'priority',
  'address',
  'protocol',
  'port',
  'type',
  'tcpType',
  'relatedAddress',
  'relatedPort',
] as const;
type Derived = Record<(typeof derived)[number], unknown>;

function fieldsOf(candidate: string): Derived {
  const c = new RTCIceCandidate({ candidate, sdpMid: '0' });
  return Object.fromEntries(derived.map((k) => [k, c[k]])) as Derived;
}

const allNull: Derived = Object.fromEntries(derived.map((k) => [k, null])) as Derived;

function host(overrides: Partial<Derived>): Derived {
  return {
    foundation: '6',
    component: 'rtp',
    priority: 1,
    address: '1.2.3.4',
    protocol: 'udp',
    port: 5,
    type: 'host',
    tcpType: null,
    relatedAddress: null,
    relatedPort: null,
    ...overrides,
  };
}

// Every expectation below is what Chromium 156 returned for the same string.
const parses: [string, string, Derived][] = [
  [
    'a host candidate with extensions',
    'candidate:842163049 1 udp 1677729535 192.168.1.2 54321 typ host generation 0 ufrag abcd network-id 1',
    host({
      foundation: '842163049',
      priority: 1677729535,
      address: '192.168.1.2',
      port: 54321,
    }),
  ],
  [
    'an SDP a= line',
    'a=candidate:842163049 1 udp 1677729535 192.168.1.2 54321 typ host',
    host({
      foundation: '842163049',
      priority: 1677729535,
      address: '192.168.1.2',
      port: 54321,
    }),
  ],
  [
    'a srflx candidate with raddr/rport (transport case-insensitive)',
    'candidate:1 1 UDP 1686052607 203.0.113.5 61000 typ srflx raddr 10.0.0.1 rport 54321',
    host({
      foundation: '1',
      priority: 1686052607,
      address: '203.0.113.5',
      port: 61000,
      type: 'srflx',
      relatedAddress: '10.0.0.1',
      relatedPort: 54321,
    }),
  ],
  [
    'an RTCP relay candidate',
    'candidate:2 2 udp 41885439 198.51.100.7 3478 typ relay raddr 203.0.113.5 rport 61000 generation 0',
    host({
      foundation: '2',
      component: 'rtcp',
      priority: 41885439,
      address: '198.51.100.7',
      port: 3478,
      type: 'relay',
      relatedAddress: '203.0.113.5',
      relatedPort: 61000,
    }),
  ],
  [
    'a prflx candidate',
    'candidate:6 1 udp 1845501695 1.2.3.4 5 typ prflx',
    host({ priority: 1845501695, type: 'prflx' }),
  ],
  [
    'a TCP active candidate',
    'candidate:3 1 tcp 1518280447 192.168.1.2 9 typ host tcptype active generation 0',
    host({
      foundation: '3',
      priority: 1518280447,
      address: '192.168.1.2',
      protocol: 'tcp',
      port: 9,
      tcpType: 'active',
    }),
  ],
  [
    'a TCP candidate without tcptype (libwebrtc assumes passive)',
    'candidate:3 1 tcp 1 1.2.3.4 9 typ host',
    host({ foundation: '3', protocol: 'tcp', port: 9, tcpType: 'passive' }),
  ],
  [
    'a TCP simultaneous-open candidate',
    'candidate:6 1 Tcp 1 1.2.3.4 5 typ host tcptype so',
    host({ protocol: 'tcp', tcpType: 'so' }),
  ],
  [
    'a TCP srflx candidate with raddr, rport and tcptype',
    'candidate:6 1 tcp 1 1.2.3.4 5 typ srflx raddr 10.0.0.1 rport 9 tcptype passive',
    host({
      protocol: 'tcp',
      type: 'srflx',
      tcpType: 'passive',
      relatedAddress: '10.0.0.1',
      relatedPort: 9,
    }),
  ],
  [
    'tcptype before raddr (then raddr is an extension)',
    'candidate:6 1 tcp 1 1.2.3.4 5 typ srflx tcptype active raddr 1.1.1.1 rport 7',
    host({ protocol: 'tcp', type: 'srflx', tcpType: 'active' }),
  ],
  [
    'ssltcp (parsed, but no RTCIceProtocol value)',
    'candidate:3 1 ssltcp 1 1.2.3.4 9 typ host',
    host({ foundation: '3', protocol: null, port: 9, tcpType: 'passive' }),
  ],
  [
    'an IPv6 host candidate (Chromium brackets IPv6 addresses)',
    'candidate:4 1 udp 2122262783 2001:db8::1 50000 typ host',
    host({
      foundation: '4',
      priority: 2122262783,
      address: '[2001:db8::1]',
      port: 50000,
    }),
  ],
  [
    'an IPv6 srflx candidate with an IPv6 raddr',
    'candidate:4 1 udp 1 2001:db8::1 50000 typ srflx raddr fe80::1 rport 1',
    host({
      foundation: '4',
      address: '[2001:db8::1]',
      port: 50000,
      type: 'srflx',
      relatedAddress: '[fe80::1]',
      relatedPort: 1,
    }),
  ],
  [
    'an mDNS host candidate',
    'candidate:5 1 udp 1 3b6c1e1a-1111-2222-3333-444455556666.local 50000 typ host',
    host({
      foundation: '5',
      address: '3b6c1e1a-1111-2222-3333-444455556666.local',
      port: 50000,
    }),
  ],
  [
    'a hostname raddr without rport',
    'candidate:6 1 udp 1 1.2.3.4 5 typ srflx raddr foo.local',
    host({ type: 'srflx', relatedAddress: 'foo.local', relatedPort: 0 }),
  ],
  [
    'rport without raddr',
    'candidate:6 1 udp 1 1.2.3.4 5 typ srflx rport 9',
    host({ type: 'srflx', relatedAddress: '', relatedPort: 9 }),
  ],
  [
    'raddr 0.0.0.0 rport 0 (a real, unspecified, address)',
    'candidate:6 1 udp 1 1.2.3.4 5 typ srflx raddr 0.0.0.0 rport 0',
    host({ type: 'srflx', relatedAddress: '0.0.0.0', relatedPort: 0 }),
  ],
  ['rport 0 alone (nothing related)', 'candidate:6 1 udp 1 1.2.3.4 5 typ srflx rport 0', host({ type: 'srflx' })],
  ['component 3', 'candidate:6 3 udp 1 1.2.3.4 5 typ host', host({ component: null })],
  ['component -1', 'candidate:6 -1 udp 1 1.2.3.4 5 typ host', host({ component: null })],
  ['component 01', 'candidate:6 01 udp 1 1.2.3.4 5 typ host', host({})],
  ['priority 007', 'candidate:6 1 udp 007 1.2.3.4 5 typ host', host({ priority: 7 })],
  ['priority -0', 'candidate:6 1 udp -0 1.2.3.4 5 typ host', host({ priority: 0 })],
  ['the largest priority', 'candidate:6 1 udp 4294967295 1.2.3.4 5 typ host', host({ priority: 4294967295 })],
  ['port 0', 'candidate:6 1 udp 1 1.2.3.4 0 typ host', host({ port: 0 })],
  ['port -0', 'candidate:6 1 udp 1 1.2.3.4 -0 typ host', host({ port: 0 })],
  ['port 65535', 'candidate:6 1 udp 1 1.2.3.4 65535 typ host', host({ port: 65535 })],
  ['an empty foundation', 'candidate: 1 udp 1 1.2.3.4 5 typ host', host({ foundation: '' })],
  ['repeated colons', 'candidate:::6 1 udp 1 1.2.3.4 5 typ host', host({})],
  ['a trailing CRLF', 'candidate:6 1 udp 1 1.2.3.4 5 typ host\r\n', host({})],
  ['a trailing LF', 'candidate:6 1 udp 1 1.2.3.4 5 typ host\n', host({})],
  ['a trailing space', 'candidate:6 1 udp 1 1.2.3.4 5 typ host ', host({})],
  ['a lone trailing extension name', 'candidate:6 1 udp 1 1.2.3.4 5 typ host ufrag', host({})],
  [
    'unknown extensions (their values are skipped unchecked)',
    'candidate:6 1 udp 1 1.2.3.4 5 typ host foo generation x',
    host({}),
  ],
  ['an empty address with a port', 'candidate:6 1 udp 1  5 typ host', host({ address: '', port: 5 })],
  [
    'an empty address with port 0 (a nil address)',
    'candidate:6 1 udp 1  0 typ host',
    host({ address: null, port: null }),
  ],
];

const ipv6: [string, string][] = [
  ['2001:0DB8:0000:0000::0001', '[2001:db8::1]'],
  ['::1', '[::1]'],
  ['::', '[::]'],
  ['1::', '[1::]'],
  ['::ffff:1.2.3.4', '[::ffff:1.2.3.4]'],
  ['::FFFF:1.2.3.4', '[::ffff:1.2.3.4]'],
  ['0:0:0:0:0:ffff:102:304', '[::ffff:1.2.3.4]'],
  ['::ffff:0:0', '[::ffff:0.0.0.0]'],
  ['::fffe:1.2.3.4', '[::fffe:102:304]'],
  ['::1.2.3.4', '[::1.2.3.4]'],
  ['::2:3', '[::0.2.0.3]'],
  ['::0.0.0.1', '[::1]'],
  ['0:0:0:0:0:0:0:2', '[::2]'],
  ['1:2:3:4:5:6:7:8', '[1:2:3:4:5:6:7:8]'],
  ['1:0:3:4:5:6:7:8', '[1:0:3:4:5:6:7:8]'],
  ['1:2:3:4:5:6:7::', '[1:2:3:4:5:6:7:0]'],
  ['1:0:0:2:0:0:3:4', '[1::2:0:0:3:4]'],
  ['1:0:0:4:0:0:0:8', '[1:0:0:4::8]'],
  ['0001:0002::0003', '[1:2::3]'],
  ['1:2:3:4:5::1.2.3.4', '[1:2:3:4:5:0:102:304]'],
  ['1:2:3:4:5:6:1.2.3.4', '[1:2:3:4:5:6:102:304]'],
  ['::1:2:3:4:5:6:7', '[0:1:2:3:4:5:6:7]'],
  // Not IPv6 literals to libwebrtc: kept verbatim, as hostnames.
  ['fe80::1%eth0', 'fe80::1%eth0'],
  ['[::1]', '[::1]'],
  ['[0::1]', '[0::1]'],
  [':1::2', ':1::2'],
  ['1::2:', '1::2:'],
  ['1::2::3', '1::2::3'],
  ['1::12345', '1::12345'],
  ['1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8:9'],
  ['1:2:3:4:5:6:7::8', '1:2:3:4:5:6:7::8'],
  ['::1:2:3:4:5:6:7:8', '::1:2:3:4:5:6:7:8'],
  ['1:2:3:4:5:6::1.2.3.4', '1:2:3:4:5:6::1.2.3.4'],
  ['1:2:3:4:5:6:7::1.2.3.4', '1:2:3:4:5:6:7::1.2.3.4'],
  ['1:2:3:4:5:6:7:1.2.3.4', '1:2:3:4:5:6:7:1.2.3.4'],
  ['::ffff:01.2.3.4', '::ffff:01.2.3.4'],
  ['::1.2.3.256', '::1.2.3.256'],
  ['1.2.3.4::1', '1.2.3.4::1'],
  // Not IPv4 literals either (leading zero, three parts, out of range): verbatim.
  ['01.2.3.4', '01.2.3.4'],
  ['1.2.3', '1.2.3'],
  ['1.2.3.256', '1.2.3.256'],
  ['0.0.0.0', '0.0.0.0'],
];

// Strings Chromium does not parse at all: every derived attribute is null.
const unparsed: [string, string][] = [
  ['no candidate: prefix', '842163049 1 udp 1677729535 192.168.1.2 54321 typ host'],
  ['garbage', 'hello world'],
  ['a wrong-case prefix', 'Candidate:6 1 udp 1 1.2.3.4 5 typ host'],
  ['a leading space', ' candidate:6 1 udp 1 1.2.3.4 5 typ host'],
  ['a doubled a= prefix', 'a=a=candidate:6 1 udp 1 1.2.3.4 5 typ host'],
  ['too few fields', 'candidate:6 1 udp 1 1.2.3.4 5 typ'],
  ['a doubled space before typ', 'candidate:6  1 udp 1 1.2.3.4 5 typ host'],
  ['an upper-case typ', 'candidate:6 1 udp 1 1.2.3.4 5 TYP HOST'],
  ['an upper-case type', 'candidate:6 1 udp 1 1.2.3.4 5 typ HOST'],
  ['an unknown type', 'candidate:6 1 udp 1 1.2.3.4 5 typ foo'],
  ['an unknown transport', 'candidate:6 1 sctp 1 1.2.3.4 5 typ host'],
  ['the tls transport', 'candidate:6 1 tls 1 1.2.3.4 5 typ host'],
  ['a non-numeric component', 'candidate:6 x udp 1 1.2.3.4 5 typ host'],
  ['a component beyond int32', 'candidate:6 4294967297 udp 1 1.2.3.4 5 typ host'],
  ['a negative priority', 'candidate:6 1 udp -1 1.2.3.4 5 typ host'],
  ['a priority beyond uint32', 'candidate:6 1 udp 4294967296 1.2.3.4 5 typ host'],
  ['a priority with trailing text', 'candidate:6 1 udp 12abc 1.2.3.4 5 typ host'],
  ['a priority with a plus sign', 'candidate:6 1 udp +5 1.2.3.4 5 typ host'],
  ['a hex priority', 'candidate:6 1 udp 0x10 1.2.3.4 5 typ host'],
  ['port 65536', 'candidate:6 1 udp 1 1.2.3.4 65536 typ host'],
  ['port -1', 'candidate:6 1 udp 1 1.2.3.4 -1 typ host'],
  ['a bad rport', 'candidate:6 1 udp 1 1.2.3.4 5 typ srflx raddr 1.1.1.1 rport x'],
  ['rport 70000', 'candidate:6 1 udp 1 1.2.3.4 5 typ srflx raddr 1.1.1.1 rport 70000'],
  ['tcptype on a UDP candidate', 'candidate:6 1 udp 1 1.2.3.4 5 typ host tcptype active'],
  ['an unknown tcptype', 'candidate:6 1 tcp 1 1.2.3.4 5 typ host tcptype foo'],
  ['a wrong-case tcptype', 'candidate:6 1 tcp 1 1.2.3.4 5 typ host tcptype Active'],
  ['a non-numeric generation', 'candidate:6 1 udp 1 1.2.3.4 5 typ host generation x'],
  ['a negative generation', 'candidate:6 1 udp 1 1.2.3.4 5 typ host generation -1'],
  ['network-id beyond uint16', 'candidate:6 1 udp 1 1.2.3.4 5 typ host network-id 70000'],
  ['network-cost beyond uint16', 'candidate:6 1 udp 1 1.2.3.4 5 typ host network-cost 70000'],
  ['a tab separator', 'candidate:6 1 udp 1 1.2.3.4 5 typ host\tgeneration 0'],
  ['two lines', 'candidate:6 1 udp 1 1.2.3.4 5 typ host\r\nx'],
  ['two line ends', 'candidate:6 1 udp 1 1.2.3.4 5 typ host\r\n\r\n'],
  ['a trailing NUL', 'candidate:6 1 udp 1 1.2.3.4 5 typ host\u0000'],
];

describe('RTCIceCandidate', () => {
  describe('parsing the candidate attribute (as Chromium does)', () => {
    for (const [label, candidate, expected] of parses) {
      it(`parses ${label}`, () => {
        assert.deepEqual(fieldsOf(candidate), expected);
      });
    }

    for (const [input, address] of ipv6) {
      it(`reports the address ${input} as ${address}`, () => {
        const c = new RTCIceCandidate({
          candidate: `candidate:6 1 udp 1 ${input} 5 typ srflx raddr ${input} rport 7`,
          sdpMid: '0',
        });
        assert.equal(c.address, address);
        assert.equal(c.relatedAddress, address);
        assert.equal(c.port, 5);
      });
    }

    for (const [label, candidate] of unparsed) {
      it(`leaves every derived attribute null for ${label}`, () => {
        const c = new RTCIceCandidate({ candidate, sdpMid: '0' });
        assert.deepEqual(fieldsOf(candidate), allNull);
        assert.equal(c.candidate, candidate, 'the raw string is kept');
      });
    }

    it('accepts an empty candidate (end-of-candidates) with every derived attribute null', () => {
      const c = new RTCIceCandidate({ candidate: '', sdpMLineIndex: 0 });
      assert.equal(c.candidate, '');
      assert.deepEqual(fieldsOf(''), allNull);
      assert.equal(parseCandidateAttribute(''), null);
    });

    it('exposes the parser for lib/ (null when it does not parse)', () => {
      assert.equal(parseCandidateAttribute('hello'), null);
      assert.deepEqual(parseCandidateAttribute('candidate:6 1 udp 1 1.2.3.4 5 typ host'), host({}));
    });
  });

  describe('usernameFragment', () => {
    const withUfrag = 'candidate:6 1 udp 1 1.2.3.4 5 typ host ufrag fromcandidate';

    it('comes from the init dictionary', () => {
      const c = new RTCIceCandidate({
        candidate: withUfrag,
        sdpMid: '0',
        usernameFragment: 'init',
      });
      assert.equal(c.usernameFragment, 'init');
    });

    it("is not taken from the candidate's ufrag extension (Chromium and the spec agree)", () => {
      assert.equal(new RTCIceCandidate({ candidate: withUfrag, sdpMid: '0' }).usernameFragment, null);
      assert.equal(
        new RTCIceCandidate({
          candidate: withUfrag,
          sdpMid: '0',
          usernameFragment: null,
        }).usernameFragment,
        null,
      );
    });

    it('keeps an empty string and converts other values with ToString', () => {
      assert.equal(new RTCIceCandidate({ sdpMid: '0', usernameFragment: '' }).usernameFragment, '');
      assert.equal(new Ctor({ sdpMid: '0', usernameFragment: 5 }).usernameFragment, '5');
    });
  });

  describe('constructor', () => {
    const bothNull: [string, unknown[]][] = [
      ['no argument', []],
      ['undefined', [undefined]],
      ['null', [null]],
      ['{}', [{}]],
      ['explicit nulls', [{ candidate: '', sdpMid: null, sdpMLineIndex: null }]],
      ['a candidate but no mid or index', [{ candidate: 'candidate:6 1 udp 1 1.2.3.4 5 typ host' }]],
    ];
    for (const [label, args] of bothNull) {
      it(`throws a TypeError when sdpMid and sdpMLineIndex are both null: ${label}`, () => {
        assert.throws(() => new Ctor(...args), {
          name: 'TypeError',
          message: "Failed to construct 'RTCIceCandidate': sdpMid and sdpMLineIndex are both null.",
        });
      });
    }

    it('throws a TypeError for a non-object argument', () => {
      for (const value of [5, 'candidate:x', false]) {
        assert.throws(() => new Ctor(value), {
          name: 'TypeError',
          message: /is not of type 'RTCIceCandidateInit'/,
        });
      }
    });

    it('accepts either sdpMid or sdpMLineIndex alone', () => {
      const a = new RTCIceCandidate({ sdpMid: '' });
      assert.equal(a.sdpMid, '');
      assert.equal(a.sdpMLineIndex, null);
      const b = new RTCIceCandidate({ sdpMLineIndex: 0 });
      assert.equal(b.sdpMid, null);
      assert.equal(b.sdpMLineIndex, 0);
    });

    it('converts sdpMLineIndex as an unsigned short (wrapping, not range-checked)', () => {
      const index = (v: unknown) => new Ctor({ sdpMLineIndex: v }).sdpMLineIndex;
      assert.equal(index(65536), 0);
      assert.equal(index(-1), 65535);
      assert.equal(index(1.9), 1);
      assert.equal(index('x'), 0);
      assert.equal(index(Infinity), 0);
      assert.equal(index('7'), 7);
      assert.throws(() => index(1n), { name: 'TypeError' });
    });

    it('converts candidate and sdpMid with ToString', () => {
      assert.equal(new Ctor({ candidate: null, sdpMid: '0' }).candidate, 'null');
      assert.equal(new Ctor({ candidate: undefined, sdpMid: '0' }).candidate, '');
      assert.equal(new Ctor({ sdpMid: 5 }).sdpMid, '5');
      assert.throws(() => new Ctor({ sdpMid: Symbol('x') }), {
        name: 'TypeError',
      });
    });

    it('reads the members in WebIDL order', () => {
      const log: string[] = [];
      const member = (name: string, value: unknown) => ({
        get() {
          log.push(name);
          return value;
        },
      });
      new Ctor(
        Object.defineProperties(
          {},
          {
            usernameFragment: member('usernameFragment', null),
            sdpMid: member('sdpMid', '0'),
            sdpMLineIndex: member('sdpMLineIndex', 0),
            candidate: member('candidate', ''),
          },
        ),
      );
      assert.deepEqual(log, ['candidate', 'sdpMLineIndex', 'sdpMid', 'usernameFragment']);
    });

    it('copies another RTCIceCandidate', () => {
      const a = new RTCIceCandidate({
        candidate: 'candidate:1 1 udp 1 1.2.3.4 5 typ host',
        sdpMLineIndex: 0,
        usernameFragment: 'u',
      });
      const b = new RTCIceCandidate(a);
      assert.deepEqual(b.toJSON(), a.toJSON());
      assert.equal(b.address, '1.2.3.4');
    });
  });

  describe('toJSON()', () => {
    it("gives the spec's four members, nulls included", () => {
      const c = new RTCIceCandidate({
        candidate: 'candidate:6 1 udp 1 1.2.3.4 5 typ host',
        sdpMid: '0',
      });
      const json = c.toJSON();
      assert.deepEqual(json, {
        candidate: 'candidate:6 1 udp 1 1.2.3.4 5 typ host',
        sdpMid: '0',
        sdpMLineIndex: null,
        usernameFragment: null,
      });
      assert.deepEqual(Object.keys(json), ['candidate', 'sdpMid', 'sdpMLineIndex', 'usernameFragment']);
    });

    it('round-trips through JSON and the constructor', () => {
      const inits: RTCIceCandidateInit[] = [
        {
          candidate: 'candidate:2 2 udp 41885439 198.51.100.7 3478 typ relay raddr 203.0.113.5 rport 61000',
          sdpMid: 'audio',
          sdpMLineIndex: 1,
          usernameFragment: 'abcd',
        },
        {
          candidate: 'candidate:4 1 udp 2122262783 2001:db8::1 50000 typ host',
          sdpMLineIndex: 0,
        },
        { candidate: '', sdpMid: '0' },
      ];
      for (const init of inits) {
        const a = new RTCIceCandidate(init);
        const b = new RTCIceCandidate(JSON.parse(JSON.stringify(a)) as RTCIceCandidateInit);
        assert.deepEqual(b.toJSON(), a.toJSON());
        for (const key of derived) assert.equal(b[key], a[key], key);
      }
    });
  });

  describe('url and relayProtocol', () => {
    const relay = 'candidate:2 1 udp 41885439 198.51.100.7 3478 typ relay raddr 203.0.113.5 rport 61000';

    it('are null on a constructed candidate', () => {
      const c = new RTCIceCandidate({ candidate: relay, sdpMid: '0' });
      assert.equal(c.url, null);
      assert.equal(c.relayProtocol, null);
    });

    it('come from the server url and the priority on a gathered relay candidate', () => {
      const protocols: [number, string][] = [
        [(2 << 24) | 0xffff, 'udp'],
        [(1 << 24) | 0xffff, 'tcp'],
        [0xffff, 'tls'],
      ];
      for (const [priority, protocol] of protocols) {
        const candidate = `candidate:2 1 udp ${priority} 198.51.100.7 3478 typ relay`;
        const c = createGatheredIceCandidate({ candidate, sdpMid: '0' }, 'turn:turn.example.org');
        assert.equal(c.url, 'turn:turn.example.org');
        assert.equal(c.relayProtocol, protocol);
      }
    });

    it('give only url on a gathered srflx candidate, and nothing without a url', () => {
      const srflx = 'candidate:1 1 udp 1686052607 203.0.113.5 61000 typ srflx raddr 10.0.0.1 rport 1';
      const c = createGatheredIceCandidate({ candidate: srflx, sdpMid: '0' }, 'stun:stun.example.org');
      assert.equal(c.url, 'stun:stun.example.org');
      assert.equal(c.relayProtocol, null);
      const h = createGatheredIceCandidate({ candidate: relay, sdpMid: '0' }, null);
      assert.equal(h.url, null);
      assert.equal(h.relayProtocol, null);
    });
  });

  describe('interface shape', () => {
    it('has enumerable prototype getters in Chromium order and no own properties', () => {
      const c = new RTCIceCandidate({ sdpMid: '0' });
      assert.deepEqual(Object.keys(c), []);
      assert.deepEqual(Object.keys(RTCIceCandidate.prototype), [
        'candidate',
        'sdpMid',
        'sdpMLineIndex',
        'foundation',
        'component',
        'priority',
        'address',
        'protocol',
        'port',
        'type',
        'tcpType',
        'relatedAddress',
        'relatedPort',
        'usernameFragment',
        'relayProtocol',
        'url',
        'toJSON',
      ]);
      const desc = Object.getOwnPropertyDescriptor(RTCIceCandidate.prototype, 'address')!;
      assert.equal(desc.set, undefined);
    });

    it('throws a TypeError when a getter is called on a non-instance', () => {
      assert.throws(() => RTCIceCandidate.prototype.candidate, TypeError);
      const get = Object.getOwnPropertyDescriptor(RTCIceCandidate.prototype, 'port')!.get!;
      assert.throws(() => get.call({}), TypeError);
    });

    it('is tagged as RTCIceCandidate, has length 0, and can be brand-checked', () => {
      const c = new RTCIceCandidate({ sdpMid: '0' });
      assert.equal(Object.prototype.toString.call(c), '[object RTCIceCandidate]');
      assert.equal(RTCIceCandidate.length, 0);
      assert.equal(isRTCIceCandidate(c), true);
      assert.equal(isRTCIceCandidate(c.toJSON()), false);
      assert.equal(isRTCIceCandidate(Object.create(RTCIceCandidate.prototype)), false);
      assert.equal(isRTCIceCandidate(null), false);
    });
  });
});
