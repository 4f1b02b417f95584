package io.vigil.ingest.remotewrite;

/**
 * A minimal protobuf wire-format reader over a byte range, enough for remote write: tags, varints, fixed64 and
 * length-delimited fields, each bounds-checked so that hostile input ends in {@link Malformed}, never in an index
 * error. Not thread-safe; cheap to create.
 */
final class ProtoReader {
    /** The input is not valid protobuf; the message says where. */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private final byte[] buf;
    private final int end;
    private int pos;

    ProtoReader(byte[] buf, int start, int end) {
        this.buf = buf;
        this.pos = start;
        this.end = end;
    }

    boolean hasMore() {
        return pos < end;
    }

    int position() {
        return pos;
    }

    int tag() {
        long t = varint();
        if (t <= 0 || t > Integer.MAX_VALUE || (t >>> 3) == 0) {
            throw new Malformed("invalid field tag " + t + " at byte " + pos);
        }
        return (int) t;
    }

    long varint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new Malformed("truncated varint at byte " + pos);
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new Malformed("varint longer than 10 bytes at byte " + pos);
    }

    long fixed64() {
        if (end - pos < 8) {
            throw new Malformed("truncated fixed64 at byte " + pos);
        }
        long v = (buf[pos] & 0xFFL) | (buf[pos + 1] & 0xFFL) << 8 | (buf[pos + 2] & 0xFFL) << 16
                | (buf[pos + 3] & 0xFFL) << 24 | (buf[pos + 4] & 0xFFL) << 32 | (buf[pos + 5] & 0xFFL) << 40
                | (buf[pos + 6] & 0xFFL) << 48 | (buf[pos + 7] & 0xFFL) << 56;
        pos += 8;
        return v;
    }

    /** Reads a length prefix and checks that the field fits in the current range. */
    int length() {
        long len = varint();
        if (len < 0 || len > end - pos) {
            throw new Malformed("field length " + len + " runs past the end of its message at byte " + pos);
        }
        return (int) len;
    }

    void skipTo(int position) {
        if (position < pos || position > end) {
            throw new Malformed("bad skip to byte " + position);
        }
        pos = position;
    }

    /** Reads a length prefix and skips that many bytes. */
    void skipLengthDelimited() {
        int len = length();
        pos += len;
    }

    /** Skips the value of a field with the given tag. */
    void skip(int tag) {
        switch (tag & 7) {
            case 0 -> varint();
            case 1 -> {
                if (end - pos < 8) {
                    throw new Malformed("truncated fixed64 at byte " + pos);
                }
                pos += 8;
            }
            case 2 -> {
                int len = length();
                pos += len;
            }
            case 5 -> {
                if (end - pos < 4) {
                    throw new Malformed("truncated fixed32 at byte " + pos);
                }
                pos += 4;
            }
            default -> throw new Malformed("unsupported wire type " + (tag & 7) + " at byte " + pos);
        }
    }
}
