package io.vigil.server.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar on the terminal for a transfer of known size, redrawn at most every percent. */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final long total;
    private long done;
    private int shownPercent = -1;

    ProgressBar(PrintStream out, long total) {
        this.out = out;
        this.total = Math.max(1, total);
    }

    /** Wraps a stream so that reading it moves the bar. */
    InputStream counting(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    advance(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n > 0) {
                    advance(n);
                }
                return n;
            }
        };
    }

    synchronized void advance(long bytes) {
        done = Math.min(total, done + bytes);
        int percent = (int) (done * 100 / total);
        if (percent != shownPercent) {
            shownPercent = percent;
            out.print("\r" + render(done, total));
            out.flush();
        }
    }

    /** Ends the bar's line. */
    synchronized void finish() {
        advance(total - done);
        out.println();
    }

    static String render(long done, long total) {
        int filled = (int) (done * WIDTH / Math.max(1, total));
        return String.format(Locale.ROOT, "[%s%s] %3d%% %s / %s", "#".repeat(filled), ".".repeat(WIDTH - filled),
                done * 100 / Math.max(1, total), size(done), size(total));
    }

    private static String size(long bytes) {
        return bytes < 1 << 20 ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
