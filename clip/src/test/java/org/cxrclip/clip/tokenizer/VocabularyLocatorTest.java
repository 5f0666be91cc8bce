package org.cxrclip.clip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lookup order, hash checks and the one-time download, against a local HTTP server (no real network). */
class VocabularyLocatorTest {
    private static final byte[] FAKE = "fake vocabulary bytes".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private URI serve(int status, byte[] body) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/vocab.gz", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/vocab.gz");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void downloadsOnceIntoTheCacheAndReusesIt() throws Exception {
        URI url = serve(200, FAKE);
        Path cache = dir.resolve("cache");
        VocabularyLocator locator = new VocabularyLocator(url, sha256(FAKE), null, cache);
        Path found = locator.locate(null);
        assertEquals(cache.resolve(VocabularyLocator.FILE_NAME), found);
        assertArrayEquals(FAKE, Files.readAllBytes(found));
        assertEquals(found, locator.locate(null));
        assertEquals(1, requests.get(), "the second lookup uses the cache");
        assertEquals(1, fileCount(cache), "no temp file is left behind");
    }

    @Test
    void wrongHashIsDiscardedAndNamed() throws Exception {
        URI url = serve(200, FAKE);
        Path cache = dir.resolve("cache");
        String expected = "00".repeat(32);
        IOException e = assertThrows(IOException.class,
                () -> new VocabularyLocator(url, expected, null, cache).locate(null));
        assertTrue(e.getMessage().contains(sha256(FAKE)) && e.getMessage().contains(expected), e.getMessage());
        assertEquals(0, fileCount(cache), "neither the file nor its temp copy remains");
    }

    @Test
    void httpErrorSaysWhereToPutTheFile() throws Exception {
        URI url = serve(404, new byte[0]);
        Path cache = dir.resolve("cache");
        IOException e = assertThrows(IOException.class,
                () -> new VocabularyLocator(url, sha256(FAKE), null, cache).locate(null));
        assertTrue(e.getMessage().contains("404"), e.getMessage());
        assertTrue(e.getMessage().contains(cache.resolve(VocabularyLocator.FILE_NAME).toString()), e.getMessage());
        assertTrue(e.getMessage().contains("CXRCLIP_VOCAB"), e.getMessage());
        assertEquals(0, fileCount(cache));
    }

    @Test
    void offlineSaysWhereToPutTheFile() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + closedPort + "/vocab.gz");
        IOException e = assertThrows(IOException.class,
                () -> new VocabularyLocator(url, sha256(FAKE), null, dir.resolve("c")).locate(null));
        assertTrue(e.getMessage().contains("could not be downloaded") && e.getMessage().contains("CXRCLIP_VOCAB"),
                e.getMessage());
    }

    @Test
    void explicitPathWinsOverEnvironmentWhichWinsOverCache() throws Exception {
        URI url = serve(200, FAKE);
        Path explicit = Files.write(dir.resolve("explicit.gz"), FAKE);
        Path fromEnv = Files.write(dir.resolve("env.gz"), FAKE);
        VocabularyLocator locator = new VocabularyLocator(url, sha256(FAKE), fromEnv.toString(), dir.resolve("c"));
        assertEquals(explicit, locator.locate(explicit));
        assertEquals(fromEnv, locator.locate(null));
        assertEquals(0, requests.get());
        assertFalse(Files.exists(dir.resolve("c")));
    }

    @Test
    void givenFilesMustExistAndHaveTheRightHash() throws Exception {
        Path wrong = Files.writeString(dir.resolve("wrong.gz"), "not the vocabulary");
        VocabularyLocator locator = new VocabularyLocator(URI.create("http://127.0.0.1:9/x"), sha256(FAKE),
                dir.resolve("missing-env.gz").toString(), dir.resolve("c"));
        IOException hash = assertThrows(IOException.class, () -> locator.locate(wrong));
        assertTrue(hash.getMessage().contains(wrong.toString()) && hash.getMessage().contains("wrong token ids"),
                hash.getMessage());
        IOException missingEnv = assertThrows(IOException.class, () -> locator.locate(null));
        assertTrue(missingEnv.getMessage().contains("missing-env.gz")
                && missingEnv.getMessage().contains("CXRCLIP_VOCAB"), missingEnv.getMessage());
    }

    @Test
    void sharedCopyHasOpenAisHash() throws Exception {
        Path shared = SharedVocabulary.vocabulary();
        assertEquals(shared, new VocabularyLocator().locate(shared));
    }

    private static long fileCount(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        }
    }
}
