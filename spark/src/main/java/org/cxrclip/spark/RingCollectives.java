package org.cxrclip.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Collectives over a ring of TCP sockets: rank r sends to r+1 and receives from r−1 (mod n). No Spark in here:
 * the ranks find each other through any rendezvous (a Spark barrier's allGather of host:port, or a test's list).
 *
 * <p>{@link #allGather}: n−1 steps, each passing one rank's block on. {@link #allReduceSum}: per bucket of
 * {@code bucketFloats}, a reduce-scatter (n−1 steps, each rank ends owning the full sum of one segment) then an
 * all-gather of the summed segments (n−1 steps); each rank sends 2(n−1)/n of the data, independent of n. Every
 * segment's sum is computed once, by its owner, in ring order, and copied to the others: all ranks end with
 * bit-identical results, so identical optimiser steps keep identical weights. Sending runs on its own thread
 * while the caller receives, so large blocks cannot deadlock on full socket buffers.
 */
public final class RingCollectives implements AutoCloseable {
    /** 4 MiB buckets: large enough to amortise a round trip, small enough to overlap send and receive. */
    public static final int DEFAULT_BUCKET_FLOATS = 1 << 20;

    private final int rank, size, bucketFloats;
    private final Socket toNext, fromPrev;
    private final DataOutputStream out;
    private final DataInputStream in;
    private final ExecutorService sender;
    private long bytesSent, allReduces;
    private double allReduceSeconds;

    private RingCollectives(int rank, int size, int bucketFloats, Socket toNext, Socket fromPrev) throws IOException {
        this.rank = rank;
        this.size = size;
        this.bucketFloats = bucketFloats;
        this.toNext = toNext;
        this.fromPrev = fromPrev;
        this.out = toNext == null ? null : new DataOutputStream(new BufferedOutputStream(toNext.getOutputStream(), 1 << 16));
        this.in = fromPrev == null ? null : new DataInputStream(new BufferedInputStream(fromPrev.getInputStream(), 1 << 16));
        this.sender = size == 1 ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cxrclip-ring-send-" + rank);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Joins the ring: {@code addresses} lists every rank's "host:port" in rank order, {@code server} is this rank's
     * bound listening socket (its address is addresses[rank]). Connects to the next rank (retrying until
     * {@code timeoutMillis}) and accepts the previous one; a handshake checks both sides agree on the ring.
     */
    public static RingCollectives join(int rank, List<String> addresses, ServerSocket server, int bucketFloats, int timeoutMillis)
            throws IOException {
        int n = addresses.size();
        if (rank < 0 || rank >= n) throw new IllegalArgumentException("rank " + rank + " outside a ring of " + n);
        if (bucketFloats < 1) throw new IllegalArgumentException("bucket must hold >= 1 float, got " + bucketFloats);
        if (n == 1) return new RingCollectives(0, 1, bucketFloats, null, null);
        String next = addresses.get((rank + 1) % n);
        int colon = next.lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("ring address '" + next + "' is not host:port");
        InetSocketAddress target = new InetSocketAddress(next.substring(0, colon), Integer.parseInt(next.substring(colon + 1)));
        long deadline = System.currentTimeMillis() + timeoutMillis;
        Socket toNext = null;
        while (toNext == null) {
            Socket s = new Socket();
            try {
                s.connect(target, Math.max(1, (int) Math.min(timeoutMillis, 5000)));
                toNext = s;
            } catch (IOException e) {
                s.close();
                if (System.currentTimeMillis() > deadline) throw new IOException("ring rank " + rank + ": cannot reach rank "
                        + (rank + 1) % n + " at " + next + ": " + e.getMessage(), e);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while joining the ring", ie);
                }
            }
        }
        toNext.setTcpNoDelay(true);
        new DataOutputStream(toNext.getOutputStream()).writeInt(rank);
        server.setSoTimeout(timeoutMillis);
        Socket fromPrev;
        try {
            fromPrev = server.accept();
        } catch (SocketTimeoutException e) {
            toNext.close();
            throw new IOException("ring rank " + rank + ": rank " + (rank + n - 1) % n + " did not connect within " + timeoutMillis + " ms", e);
        }
        fromPrev.setTcpNoDelay(true);
        int prev = new DataInputStream(fromPrev.getInputStream()).readInt();
        if (prev != (rank + n - 1) % n) {
            toNext.close();
            fromPrev.close();
            throw new IOException("ring rank " + rank + ": expected rank " + (rank + n - 1) % n + " to connect, got rank " + prev);
        }
        return new RingCollectives(rank, n, bucketFloats, toNext, fromPrev);
    }

    public int rank() {
        return rank;
    }

    public int size() {
        return size;
    }

    /** Bytes this rank has sent in all-reduces so far. */
    public long allReduceBytesSent() {
        return bytesSent;
    }

    public long allReduceCount() {
        return allReduces;
    }

    public double allReduceSeconds() {
        return allReduceSeconds;
    }

    /** Every rank's block (any length, may be empty), in rank order; each rank gets the same list. */
    public float[][] allGather(float[] mine) throws IOException {
        float[][] blocks = new float[size][];
        blocks[rank] = mine.clone();
        for (int s = 0; s < size - 1; s++) {
            float[] send = blocks[Math.floorMod(rank - s, size)];
            Future<?> f = send(send, 0, send.length, true);
            int from = Math.floorMod(rank - s - 1, size);
            int len = in.readInt();
            blocks[from] = new float[len];
            readFloats(blocks[from], 0, len);
            await(f);
        }
        return blocks;
    }

    /** The blocks of {@link #allGather} laid end to end. */
    public float[] allGatherConcat(float[] mine) throws IOException {
        float[][] blocks = allGather(mine);
        int total = 0;
        for (float[] b : blocks) total += b.length;
        float[] outArr = new float[total];
        int at = 0;
        for (float[] b : blocks) {
            System.arraycopy(b, 0, outArr, at, b.length);
            at += b.length;
        }
        return outArr;
    }

    /** Replaces {@code data} (same length on every rank) by the element-wise sum over ranks, bucket by bucket. */
    public void allReduceSum(float[] data) throws IOException {
        long t0 = System.nanoTime();
        for (int start = 0; start < data.length; start += bucketFloats)
            reduceBucket(data, start, Math.min(data.length, start + bucketFloats));
        allReduces++;
        allReduceSeconds += (System.nanoTime() - t0) / 1e9;
    }

    /** Segment i of [from, to): n nearly equal pieces. */
    private int segStart(int from, int to, int i) {
        return from + (int) ((long) (to - from) * i / size);
    }

    private void reduceBucket(float[] data, int from, int to) throws IOException {
        if (size == 1) return;
        float[] tmp = new float[(to - from) / size + 1];
        // Reduce-scatter: after step s, rank r holds the partial sum of segment r−s−1 over ranks r−s−1..r.
        for (int s = 0; s < size - 1; s++) {
            int sendSeg = Math.floorMod(rank - s, size), recvSeg = Math.floorMod(rank - s - 1, size);
            int a = segStart(from, to, sendSeg), b = segStart(from, to, sendSeg + 1);
            Future<?> f = send(data, a, b - a, false);
            int c = segStart(from, to, recvSeg), d = segStart(from, to, recvSeg + 1);
            readFloats(tmp, 0, d - c);
            await(f); // the segment sent is never the one being added to, but wait so buffers stay ordered
            for (int i = 0; i < d - c; i++) data[c + i] += tmp[i];
        }
        // All-gather: rank r owns the full sum of segment r+1; pass the finished segments around.
        for (int s = 0; s < size - 1; s++) {
            int sendSeg = Math.floorMod(rank + 1 - s, size), recvSeg = Math.floorMod(rank - s, size);
            int a = segStart(from, to, sendSeg), b = segStart(from, to, sendSeg + 1);
            Future<?> f = send(data, a, b - a, false);
            int c = segStart(from, to, recvSeg), d = segStart(from, to, recvSeg + 1);
            readFloats(data, c, d - c);
            await(f);
        }
    }

    private Future<?> send(float[] src, int offset, int len, boolean withLength) {
        float[] copy = java.util.Arrays.copyOfRange(src, offset, offset + len); // the caller may write src meanwhile
        if (!withLength) bytesSent += 4L * len;
        return sender.submit(() -> {
            if (withLength) out.writeInt(len);
            ByteBuffer buf = ByteBuffer.allocate(4 * Math.min(len, 1 << 16)).order(ByteOrder.BIG_ENDIAN);
            for (int at = 0; at < len; ) {
                int m = Math.min(len - at, buf.capacity() / 4);
                buf.clear();
                buf.asFloatBuffer().put(copy, at, m);
                out.write(buf.array(), 0, 4 * m);
                at += m;
            }
            out.flush();
            return null;
        });
    }

    private void readFloats(float[] dst, int offset, int len) throws IOException {
        byte[] bytes = new byte[4 * Math.min(Math.max(len, 1), 1 << 16)];
        for (int at = 0; at < len; ) {
            int m = Math.min(len - at, bytes.length / 4);
            in.readFully(bytes, 0, 4 * m);
            ByteBuffer.wrap(bytes, 0, 4 * m).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(dst, offset + at, m);
            at += m;
        }
    }

    private static void await(Future<?> f) throws IOException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending to the next rank", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("sending to the next rank failed", e.getCause());
        }
    }

    @Override
    public void close() throws IOException {
        if (sender != null) sender.shutdownNow();
        if (toNext != null) toNext.close();
        if (fromPrev != null) fromPrev.close();
    }
}
