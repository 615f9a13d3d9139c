// The little SDP reading lib/ needs for the spec's checks (which m-section a candidate names,
// its ICE ufrag, trickle support). libwebrtc does the real parsing.

export interface MediaSection {
  mid: string | null;
  ufrag: string | null;
  pwd: string | null;
}

/** The m-sections of `sdp`, each with its mid and ICE ufrag (session-level as fallback). */
export function mediaSections(sdp: string): MediaSection[] {
  const sections: MediaSection[] = [];
  let sessionUfrag: string | null = null;
  let sessionPwd: string | null = null;
  let current: MediaSection | null = null;
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) {
      current = { mid: null, ufrag: sessionUfrag, pwd: sessionPwd };
      sections.push(current);
    } else if (line.startsWith('a=mid:')) {
      if (current) current.mid = line.slice(6).trim();
    } else if (line.startsWith('a=ice-ufrag:')) {
      const ufrag = line.slice(12).trim();
      if (current) current.ufrag = ufrag;
      else sessionUfrag = ufrag;
    } else if (line.startsWith('a=ice-pwd:')) {
      const pwd = line.slice(10).trim();
      if (current) current.pwd = pwd;
      else sessionPwd = pwd;
    }
  }
  return sections;
}

/** Whether the description says `a=ice-options:trickle` (session or media level). */
export function supportsTrickle(sdp: string): boolean {
  return /^a=ice-options:.*\btrickle\b/m.test(sdp);
}

/** The remote side's `a=max-message-size`, 65536 when absent, Infinity for 0 (RFC 8841). */
export function maxMessageSize(sdp: string): number {
  const match = /^a=max-message-size:(\d+)/m.exec(sdp);
  if (!match) return 65536;
  const value = Number(match[1]);
  return value === 0 ? Infinity : value;
}
