package io.vigil.server.http;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body within a size limit, before and after gzip decompression, so an oversized body or a gzip
 * bomb ends in a 413 with a message instead of exhausting memory.
 */
final class BodyReader {
    private BodyReader() {}

    /**
     * @param allowGzip whether {@code Content-Encoding: gzip} is accepted (and decoded here)
     * @param passThroughEncoding an encoding returned undecoded (remote write's {@code snappy}), or null
     */
    static byte[] read(Context ctx, long maxBytes, boolean allowGzip, String passThroughEncoding) {
        String encoding = ctx.header("Content-Encoding");
        encoding = encoding == null ? "identity" : encoding.trim().toLowerCase(Locale.ROOT);
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(declared, maxBytes);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] raw = declared >= 0 ? readExactly(in, (int) declared) : readLimited(in, maxBytes, "request body");
            if (encoding.equals("identity") || encoding.equals(passThroughEncoding)) {
                return raw;
            }
            if (encoding.equals("gzip") && allowGzip) {
                try (InputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
                    return readLimited(gz, maxBytes, "decompressed request body");
                } catch (ZipException | java.io.EOFException e) {
                    throw new HttpProblem(400, "Content-Encoding is gzip but the body is not valid gzip: " + e.getMessage());
                }
            }
            throw new HttpProblem(415, "Content-Encoding '" + encoding + "' is not supported here; use "
                    + (allowGzip ? "gzip or none" : passThroughEncoding));
        } catch (IOException e) {
            throw new HttpProblem(400, "could not read the request body: " + e.getMessage());
        }
    }

    /** Reads a body of known length into one array of that size. */
    private static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] body = in.readNBytes(length);
        if (body.length != length) {
            throw new HttpProblem(400, "request body ended after " + body.length + " of the " + length
                    + " bytes its Content-Length announced");
        }
        return body;
    }

    private static byte[] readLimited(InputStream in, long maxBytes, String what) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] buf = new byte[16384];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > maxBytes) {
                throw tooLarge(total, maxBytes, what);
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static HttpProblem tooLarge(long size, long max) {
        return tooLarge(size, max, "request body");
    }

    private static HttpProblem tooLarge(long size, long max, String what) {
        return new HttpProblem(413, what + " is larger than the limit of " + max
                + " bytes (server.maxBodyBytes); split the batch into smaller requests");
    }
}
