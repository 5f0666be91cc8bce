package org.cxrclip.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cxrclip.engine.Rng;
import org.junit.jupiter.api.Test;

/** The ring collectives over loopback sockets, one thread per rank, against sums computed here in double. */
class RingCollectivesTest {
    interface RankBody<T> {
        T run(RingCollectives ring) throws Exception;
    }

    /** Runs {@code body} on n ranks joined in a loopback ring; results in rank order. */
    static <T> List<T> onRing(int n, int bucketFloats, RankBody<T> body) throws Exception {
        List<ServerSocket> servers = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            servers.add(s);
            addresses.add("127.0.0.1:" + s.getLocalPort());
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> fs = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                final int rank = r;
                fs.add(pool.submit(() -> {
                    try (ServerSocket s = servers.get(rank);
                         RingCollectives ring = RingCollectives.join(rank, addresses, s, bucketFloats, 20_000)) {
                        return body.run(ring);
                    }
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : fs) out.add(f.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    static float[] data(int rank, int len) {
        Rng r = new Rng(1000 + rank);
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    @Test
    void allReduceSumsEveryElementAndGivesEveryRankTheSameBits() throws Exception {
        // Awkward sizes: fewer elements than ranks, lengths not multiples of the bucket or the rank count.
        for (int n : new int[] {1, 2, 3, 4}) {
            for (int len : new int[] {1, 2, 23, 1000}) {
                for (int bucket : new int[] {1, 7, 64, RingCollectives.DEFAULT_BUCKET_FLOATS}) {
                    List<float[]> got = onRing(n, bucket, ring -> {
                        float[] x = data(ring.rank(), len);
                        ring.allReduceSum(x);
                        return x;
                    });
                    for (int i = 0; i < len; i++) {
                        double want = 0;
                        for (int r = 0; r < n; r++) want += data(r, len)[i];
                        assertEquals(want, got.get(0)[i], 1e-5, "n=" + n + " len=" + len + " bucket=" + bucket + " i=" + i);
                    }
                    for (int r = 1; r < n; r++) assertArrayEquals(got.get(0), got.get(r), "rank " + r + " differs from rank 0");
                }
            }
        }
    }

    @Test
    void allGatherReturnsEveryRanksBlockInRankOrderWhateverTheirLengths() throws Exception {
        List<float[][]> got = onRing(3, 8, ring -> ring.allGather(data(ring.rank(), new int[] {5, 0, 70_000}[ring.rank()])));
        for (float[][] blocks : got) {
            assertEquals(3, blocks.length);
            assertArrayEquals(data(0, 5), blocks[0]);
            assertArrayEquals(new float[0], blocks[1]);
            assertArrayEquals(data(2, 70_000), blocks[2]);
        }
    }

    @Test
    void countsTheBytesEachRankSendsPerAllReduce() throws Exception {
        // Ring all-reduce: each rank sends 2(n−1)/n of the buffer.
        List<Long> bytes = onRing(4, 100, ring -> {
            ring.allReduceSum(new float[1000]);
            return ring.allReduceBytesSent();
        });
        for (long b : bytes) assertEquals(2L * 3 * 1000 / 4 * 4, b);
    }

    @Test
    void aMissingPeerIsAClearErrorAfterTheTimeout() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ServerSocket dead = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = dead.getLocalPort();
            dead.close();
            var e = assertThrows(IOException.class, () -> RingCollectives.join(0,
                    List.of("127.0.0.1:" + s.getLocalPort(), "127.0.0.1:" + port), s, 16, 300));
            assertEquals(true, e.getMessage().contains("cannot reach rank 1"), e.getMessage());
        }
    }
}
