package io.vigil.notify.channel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal SMTP server for the replies GreenMail cannot give (it accepts every recipient): per-recipient RCPT
 * replies, a chosen greeting and end-of-data reply, or no answer at all. Records each transaction that reached the
 * end of DATA. One connection at a time, on 127.0.0.1 and a free port.
 */
final class ScriptedSmtpServer implements AutoCloseable {
    private static final Pattern ADDRESS = Pattern.compile("(?i)^(?:MAIL FROM|RCPT TO):\\s?<([^>]*)>.*");

    /** A message the server took: the envelope recipients it accepted, and the data. */
    record Transaction(List<String> recipients, String data) {}

    private final ServerSocket server;
    private final Thread thread;
    final Map<String, String> rcptReplies = new ConcurrentHashMap<>();
    volatile String greeting = "220 scripted.example ESMTP";
    volatile String dataEndReply = "250 2.0.0 queued";
    volatile boolean silent;
    final List<Transaction> transactions = Collections.synchronizedList(new ArrayList<>());
    /** Every RCPT address asked for, in order. */
    final List<String> rcptAsked = Collections.synchronizedList(new ArrayList<>());

    ScriptedSmtpServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "scripted-smtp");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(10_000);
                handle(s);
            } catch (IOException e) {
                // closed, or the client went away: next connection
            }
        }
    }

    private void handle(Socket s) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = s.getOutputStream();
        if (silent) {
            while (in.readLine() != null) {
                // never answer: the client times out
            }
            return;
        }
        reply(out, greeting);
        if (!greeting.startsWith("220")) {
            return;
        }
        List<String> accepted = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            String upper = line.toUpperCase();
            if (upper.startsWith("EHLO") || upper.startsWith("HELO")) {
                reply(out, "250-scripted.example\r\n250 8BITMIME");
            } else if (upper.startsWith("MAIL FROM")) {
                accepted.clear();
                reply(out, "250 2.1.0 ok");
            } else if (upper.startsWith("RCPT TO")) {
                Matcher m = ADDRESS.matcher(line);
                String address = m.matches() ? m.group(1) : "";
                rcptAsked.add(address);
                String r = rcptReplies.getOrDefault(address, "250 2.1.5 ok");
                if (r.startsWith("25")) {
                    accepted.add(address);
                }
                reply(out, r);
            } else if (upper.equals("DATA")) {
                reply(out, "354 end with .");
                StringBuilder data = new StringBuilder();
                while ((line = in.readLine()) != null && !line.equals(".")) {
                    data.append(line).append('\n');
                }
                String r = dataEndReply;
                if (r.startsWith("250")) {
                    transactions.add(new Transaction(List.copyOf(accepted), data.toString()));
                }
                reply(out, r);
            } else if (upper.equals("QUIT")) {
                reply(out, "221 bye");
                return;
            } else if (upper.equals("RSET") || upper.equals("NOOP")) {
                accepted.clear();
                reply(out, "250 ok");
            } else {
                reply(out, "502 5.5.2 not implemented");
            }
        }
    }

    private static void reply(OutputStream out, String r) throws IOException {
        out.write((r + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
