// The link probe's echo datagram. The responder sends it back unchanged; the
// probe matches the reply to what it sent by session and sequence number and
// takes the round trip from its own send time (the two clocks are never compared).
//
//   0  "NOCE"         magic
//   4  u8 version (1), u8 kind (0 = probe), u16 reserved
//   8  u32 session    random per probe socket: replies to an earlier run are ignored
//  12  u32 seq        1, 2, 3 ... : gives loss (missing) and duplicates (seen twice)
//  16  f64 sentAt     sender's monotonic clock, milliseconds
//  24  end (big-endian throughout)

export const ECHO_PACKET_BYTES = 24;
const MAGIC = 0x4e4f4345; // "NOCE"
const VERSION = 1;

export interface EchoPacket {
  session: number;
  seq: number;
  sentAt: number;
}

export function encodeEchoPacket(p: EchoPacket): Buffer {
  const buf = Buffer.alloc(ECHO_PACKET_BYTES);
  buf.writeUInt32BE(MAGIC, 0);
  buf.writeUInt8(VERSION, 4);
  buf.writeUInt32BE(p.session >>> 0, 8);
  buf.writeUInt32BE(p.seq >>> 0, 12);
  buf.writeDoubleBE(p.sentAt, 16);
  return buf;
}

/** The packet, or null for anything that is not one of ours. */
export function decodeEchoPacket(buf: Buffer): EchoPacket | null {
  if (buf.length !== ECHO_PACKET_BYTES || buf.readUInt32BE(0) !== MAGIC || buf.readUInt8(4) !== VERSION) return null;
  return { session: buf.readUInt32BE(8), seq: buf.readUInt32BE(12), sentAt: buf.readDoubleBE(16) };
}
