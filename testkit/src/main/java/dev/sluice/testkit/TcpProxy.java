package dev.sluice.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy between the pipeline and a server, for link faults: {@link #blackhole()} keeps every
 * connection open but drops all bytes both ways (a silent network failure, the hardest to notice);
 * {@link #stall()} stops forwarding without dropping anything (TCP back-pressure, as in a partition where packets
 * are retransmitted until it heals); {@link #resetAll()} closes every connection; {@link #heal()} forwards again; {@link #retarget} sends new
 * connections to another server (a virtual IP moving to a promoted replica).
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private volatile String targetHost;
    private volatile int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean blackholed;
    private volatile boolean stalled;
    private volatile boolean closed;

    private TcpProxy(ServerSocket listener, String targetHost, int targetPort) {
        this.listener = listener;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    public static TcpProxy start(String targetHost, int targetPort) throws IOException {
        TcpProxy proxy =
                new TcpProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), targetHost, targetPort);
        daemon(proxy::acceptLoop, "proxy-accept-" + targetPort);
        return proxy;
    }

    public int port() {
        return listener.getLocalPort();
    }

    public void blackhole() {
        blackholed = true;
    }

    public void stall() {
        stalled = true;
    }

    public void heal() {
        blackholed = false;
        synchronized (this) {
            stalled = false;
            notifyAll();
        }
    }

    /** New connections go to {@code host:port}; open ones are left as they are (reset them to force a move). */
    public void retarget(String host, int port) {
        targetHost = host;
        targetPort = port;
    }

    public void resetAll() {
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server;
                try {
                    server = new Socket(targetHost, targetPort);
                } catch (IOException targetDown) {
                    closeQuietly(client); // the client sees a refused connection, as it would without the proxy
                    continue;
                }
                sockets.add(client);
                sockets.add(server);
                daemon(() -> pump(client, server), "proxy-up");
                daemon(() -> pump(server, client), "proxy-down");
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    /** Copies bytes one way; while blackholed, reads and drops them so the sender sees no back-pressure either. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while (awaitNotStalled() && (n = in.read(buffer)) >= 0) {
                if (!blackholed) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // the other side closed or was reset
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** While stalled, a pump reads nothing more, so the sender's socket buffers fill and it blocks. */
    private synchronized boolean awaitNotStalled() {
        while (stalled && !closed) {
            try {
                wait(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        resetAll();
    }

    private static void daemon(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
