package io.vigil.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two misbehaving export targets for bench/export.sh: one answers every request with 500 after reading it, the other
 * reads the request and never answers. Prints {@code failing=<port> hanging=<port>} and runs until killed; every 10 s
 * it prints how many requests each got.
 */
public final class ExportStandIns {
    private ExportStandIns() {}

    public static void main(String[] args) throws Exception {
        AtomicLong failed = new AtomicLong();
        AtomicLong hung = new AtomicLong();
        CountDownLatch never = new CountDownLatch(1);
        HttpServer failing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        failing.createContext("/", ex -> {
            drain(ex.getRequestBody());
            failed.incrementAndGet();
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        failing.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        HttpServer hanging = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        hanging.createContext("/", ex -> {
            drain(ex.getRequestBody());
            hung.incrementAndGet();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        hanging.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        failing.start();
        hanging.start();
        System.out.println("failing=" + failing.getAddress().getPort() + " hanging=" + hanging.getAddress().getPort());
        System.out.flush();
        while (true) {
            Thread.sleep(10_000);
            System.err.println("stand-ins: " + failed.get() + " requests answered 500, " + hung.get() + " left hanging");
        }
    }

    private static void drain(InputStream in) throws IOException {
        in.transferTo(java.io.OutputStream.nullOutputStream());
    }
}
