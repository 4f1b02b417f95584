package io.vigil.ingest.remotewrite;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * A few reusable byte arrays for decompressed request bodies, so that steady ingest does not allocate (and the
 * garbage collector copy) a fresh buffer of several hundred KiB per request. Buffers larger than the retention limit
 * are allocated for the one request and dropped. Thread-safe.
 */
final class BufferPool {
    private final ArrayBlockingQueue<byte[]> free;
    private final int maxRetainedBytes;

    BufferPool(int buffers, int maxRetainedBytes) {
        this.free = new ArrayBlockingQueue<>(buffers);
        this.maxRetainedBytes = maxRetainedBytes;
    }

    /** A buffer of at least {@code size} bytes, with arbitrary content. */
    byte[] acquire(int size) {
        byte[] b = free.poll();
        if (b != null && b.length >= size) {
            return b;
        }
        return new byte[Math.max(size, 64 << 10)];
    }

    /** Returns a buffer for reuse; the caller must not touch it afterwards. */
    void release(byte[] buffer) {
        if (buffer.length <= maxRetainedBytes) {
            free.offer(buffer);
        }
    }
}
