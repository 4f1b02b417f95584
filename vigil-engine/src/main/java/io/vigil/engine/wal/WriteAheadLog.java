package io.vigil.engine.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only log of records in numbered segment files, with group commit: {@link #append} writes a record to the
 * page cache and returns its sequence number; {@link #awaitDurable} blocks until a background thread has fsynced the
 * file past it. One fsync covers every record appended since the previous one, so concurrent writers share the cost
 * of durability instead of paying one fsync each.
 *
 * <p>Record layout: {@code int length, int crc32c(payload), long sequence, payload}. Segment files are named after the
 * sequence of their first record. On open, every segment is scanned; a torn or corrupt tail (length or checksum wrong,
 * which only a crash during an unacknowledged write can cause) ends the replay, and appends always start in a new
 * segment, so a torn tail is never appended to.
 *
 * <p>Thread-safe.
 */
public final class WriteAheadLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WriteAheadLog.class);
    private static final int HEADER = 16;
    private static final String SUFFIX = ".wal";

    /** Receives replayed records in sequence order. */
    @FunctionalInterface
    public interface RecordVisitor {
        void visit(long sequence, byte[] payload);
    }

    private final Path dir;
    private final long segmentBytes;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock syncLock = new ReentrantLock();
    private final Condition synced = syncLock.newCondition();
    private final Condition pending = syncLock.newCondition();
    private final Thread syncThread;

    private FileChannel current;
    private long currentStart;
    private long currentSize;
    private long nextSequence;
    private volatile long written;   // highest sequence written to the current channel
    private volatile long durable;   // highest sequence known fsynced
    private volatile IOException failure;
    private volatile boolean closed;

    private WriteAheadLog(Path dir, long segmentBytes, long nextSequence) throws IOException {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.nextSequence = nextSequence;
        this.written = nextSequence - 1;
        this.durable = nextSequence - 1;
        openSegment(nextSequence);
        this.syncThread = Thread.ofPlatform().name("vigil-wal-sync").daemon(true).start(this::syncLoop);
    }

    /**
     * Opens the log in {@code dir}, first replaying every intact record with sequence {@code >= fromSequence} to the
     * visitor, then starting a new segment for appends.
     *
     * @param segmentBytes size after which appends move to a new segment
     * @throws UncheckedIOException if the directory cannot be read or written
     */
    public static WriteAheadLog open(Path dir, long segmentBytes, long fromSequence, RecordVisitor visitor) {
        try {
            Files.createDirectories(dir);
            long next = Math.max(1, fromSequence);
            for (Path segment : segments(dir)) {
                next = Math.max(next, replay(segment, fromSequence, visitor));
            }
            return new WriteAheadLog(dir, segmentBytes, next);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open write-ahead log in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(SUFFIX))
                    .sorted((a, b) -> Long.compare(startOf(a), startOf(b)))
                    .toList();
        }
    }

    private static long startOf(Path segment) {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    }

    /** Replays one segment; returns the sequence after its last intact record. */
    private static long replay(Path segment, long fromSequence, RecordVisitor visitor) throws IOException {
        long next = startOf(segment);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
            long size = ch.size();
            long pos = 0;
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            CRC32C crc = new CRC32C();
            while (pos + HEADER <= size) {
                header.clear();
                readFully(ch, header, pos);
                header.flip();
                int length = header.getInt();
                int checksum = header.getInt();
                long sequence = header.getLong();
                if (length < 0 || pos + HEADER + length > size) {
                    LOG.warn("write-ahead log {}: torn record at offset {}, replay stops there", segment.getFileName(), pos);
                    break;
                }
                ByteBuffer payload = ByteBuffer.allocate(length);
                readFully(ch, payload, pos + HEADER);
                crc.reset();
                crc.update(payload.array(), 0, length);
                if ((int) crc.getValue() != checksum || sequence < next) {
                    LOG.warn("write-ahead log {}: corrupt record at offset {}, replay stops there", segment.getFileName(), pos);
                    break;
                }
                if (sequence >= fromSequence) {
                    visitor.visit(sequence, payload.array());
                }
                next = sequence + 1;
                pos += HEADER + length;
            }
        }
        return next;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of segment");
            }
        }
    }

    private void openSegment(long start) throws IOException {
        Path file = dir.resolve(String.format("%020d%s", start, SUFFIX));
        // A segment named after the next sequence holds no intact record (a crash tore its first one): replace it.
        Files.deleteIfExists(file);
        current = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        currentStart = start;
        currentSize = 0;
        forceDirectory();
    }

    private void forceDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems cannot fsync a directory; the segment file itself is still fsynced.
            LOG.debug("directory fsync not supported for {}", dir);
        }
    }

    /**
     * Appends a record to the page cache and returns its sequence number; durability comes with
     * {@link #awaitDurable}.
     *
     * @throws UncheckedIOException if the write fails or the log has failed before
     */
    public long append(byte[] payload, int length) {
        CRC32C crc = new CRC32C();
        crc.update(payload, 0, length);
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        long sequence;
        writeLock.lock();
        try {
            checkHealthy();
            if (currentSize > 0 && currentSize + HEADER + length > segmentBytes) {
                rollLocked();
            }
            sequence = nextSequence++;
            header.putInt(length).putInt((int) crc.getValue()).putLong(sequence).flip();
            ByteBuffer body = ByteBuffer.wrap(payload, 0, length);
            ByteBuffer[] bufs = {header, body};
            while (header.hasRemaining() || body.hasRemaining()) {
                current.write(bufs);
            }
            currentSize += HEADER + length;
            written = sequence;
        } catch (IOException e) {
            failure = e;
            throw new UncheckedIOException("write-ahead log append failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
        syncLock.lock();
        try {
            pending.signal();
        } finally {
            syncLock.unlock();
        }
        return sequence;
    }

    /**
     * Blocks until the record with this sequence is fsynced.
     *
     * @throws UncheckedIOException if fsync failed: the record must not be acknowledged
     */
    public void awaitDurable(long sequence) {
        if (durable >= sequence) {
            return;
        }
        syncLock.lock();
        try {
            while (durable < sequence) {
                checkHealthy();
                pending.signal();
                synced.awaitUninterruptibly();
            }
        } finally {
            syncLock.unlock();
        }
    }

    private void checkHealthy() {
        if (failure != null) {
            throw new UncheckedIOException("write-ahead log is failed: " + failure.getMessage(), failure);
        }
        if (closed) {
            throw new IllegalStateException("write-ahead log is closed");
        }
    }

    private void syncLoop() {
        while (true) {
            syncLock.lock();
            try {
                while (!closed && written <= durable) {
                    pending.awaitUninterruptibly();
                }
                if (closed && written <= durable) {
                    synced.signalAll();
                    return;
                }
            } finally {
                syncLock.unlock();
            }
            long target;
            FileChannel channel;
            writeLock.lock();
            try {
                target = written;
                channel = current;
            } finally {
                writeLock.unlock();
            }
            // fsync outside the write lock, so appends continue while the disk works.
            try {
                channel.force(false);
            } catch (java.nio.channels.ClosedChannelException e) {
                // roll() closed it after fsyncing it itself: everything up to target is durable.
            } catch (IOException e) {
                failure = e;
                LOG.error("write-ahead log fsync failed; ingest stops acknowledging: {}", e.getMessage());
                target = -1;
            }
            syncLock.lock();
            try {
                if (target > durable) {
                    durable = target;
                }
                synced.signalAll();
                if (failure != null) {
                    return;
                }
            } finally {
                syncLock.unlock();
            }
        }
    }

    /**
     * Closes the current segment (fsynced) and starts a new one; returns the sequence the new segment starts with.
     * Every record before it is in an older segment, so {@link #deleteBefore} with this value drops exactly them.
     */
    public long roll() {
        writeLock.lock();
        try {
            checkHealthy();
            rollLocked();
            return currentStart;
        } catch (IOException e) {
            failure = e;
            throw new UncheckedIOException("write-ahead log roll failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private void rollLocked() throws IOException {
        if (currentSize == 0) {
            return;
        }
        current.force(false);
        current.close();
        long wasWritten = written;
        openSegment(nextSequence);
        syncLock.lock();
        try {
            if (wasWritten > durable) {
                durable = wasWritten;
            }
            synced.signalAll();
        } finally {
            syncLock.unlock();
        }
    }

    /** Deletes every segment all of whose records have sequences below {@code sequence}. */
    public void deleteBefore(long sequence) {
        try {
            List<Path> all = segments(dir);
            List<Path> doomed = new ArrayList<>();
            for (int i = 0; i + 1 < all.size(); i++) {
                if (startOf(all.get(i + 1)) <= sequence && startOf(all.get(i)) != currentStart) {
                    doomed.add(all.get(i));
                }
            }
            for (Path p : doomed) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not delete old write-ahead log segments: {}", e.getMessage());
        }
    }

    /** The sequence of the last fsynced record. */
    public long durableSequence() {
        return durable;
    }

    /** Fsyncs what was written and closes the file; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        syncLock.lock();
        try {
            closed = true;
            pending.signalAll();
        } finally {
            syncLock.unlock();
        }
        try {
            syncThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeLock.lock();
        try {
            if (current.isOpen()) {
                current.force(false);
                current.close();
            }
        } catch (IOException e) {
            LOG.warn("closing write-ahead log: {}", e.getMessage());
        } finally {
            writeLock.unlock();
        }
    }
}
